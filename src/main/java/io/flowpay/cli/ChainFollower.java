package io.flowpay.cli;

import io.flowpay.config.FlowpayOptions;
import io.flowpay.queue.ChainStatus;
import io.flowpay.queue.ChainWatch;
import io.flowpay.worker.FlowpayNode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;

/** Follows a chain over a connection of its own, printing each run as it is committed. */
final class ChainFollower {

  private ChainFollower() {}

  static Future<ChainStatus> follow(FlowpayNode node, FlowpayOptions options, String chainId, RunPrinter printer,
      long timeoutMs) {
    Redis client = node.newReadClient(options);
    return client.connect()
        .compose(connection -> ChainWatch.follow(node.queue(), connection, chainId, printer::print, timeoutMs))
        .eventually(() -> {
          client.close();
          return Future.succeededFuture();
        });
  }

  static JsonObject summary(ChainStatus status) {
    return new JsonObject()
        .put("chain_id", status.chainId())
        .put("status", status.status())
        .put("runs", status.runs())
        .put("failed", status.failed())
        .put("dead", status.dead());
  }
}
