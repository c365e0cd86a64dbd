package io.flowpay.worker;

import io.flowpay.TestRedis;
import io.flowpay.config.FlowpayOptions;
import io.flowpay.config.RedisOptions;
import io.flowpay.config.WorkerOptions;
import io.flowpay.flow.Ids;
import io.flowpay.flow.Task;
import io.flowpay.metrics.FlowMetrics;
import io.flowpay.queue.RedisTaskQueue;
import io.flowpay.stripe.WebClientStripeClient;
import io.vertx.core.Vertx;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A burst larger than the runs a worker lets start at once ({@link TaskRunner#RUNS_UNCOMMITTED}): the orders are
 * queued before the worker starts, and {@code worker.maxInFlight} lets it read them all, so its runs wait their
 * turn. Every order settles, each of its runs committed once and one at a time, and each charged once.
 */
@ExtendWith(TestRedis.Extension.class)
class BurstIT {

  private static final int ORDERS = TaskRunner.RUNS_UNCOMMITTED + TaskRunner.RUNS_UNCOMMITTED / 2;

  @TempDir
  Path dir;

  @Test
  void aBurstOfOrdersBeyondTheRunsAWorkerStartsAtOnceSettlesEachOnce(TestRedis redis) {
    Path flows = dir.resolve("flows");
    PaymentChains.writeFlows(flows);
    Vertx test = Vertx.vertx();
    Vertx node = Vertx.vertx();
    PaymentChains stripe = new PaymentChains(test, 1, 30);
    String worker = "burst-" + Ids.newId().substring(0, 8);
    FlowpayOptions defaults = new FlowpayOptions();
    WorkerOptions limits = defaults.worker();
    FlowpayOptions options = defaults.withRedis(defaults.redis().withUrl(redis.url()))
        .withStripe(defaults.stripe().withApiBase(stripe.baseUrl()))
        .withWorker(new WorkerOptions(limits.scriptThreads(), 2 * ORDERS, limits.readBatch(), limits.blockMs()))
        .withWorkers(List.of(worker))
        .withFlowsDir(flows);
    Redis client = Redis.createClient(test, new io.vertx.redis.client.RedisOptions().setConnectionString(redis.url())
        .setPreferredProtocolVersion(ProtocolVersion.RESP2));
    RedisTaskQueue queue = new RedisTaskQueue(client, 0, new RedisOptions().chainRetentionSeconds());
    FlowpayNode flowpay = null;
    try {
      List<Task> orders = PaymentChains.startOrders(queue, List.of(worker), ORDERS);
      flowpay = FlowpayNode.start(node, options, new WebClientStripeClient(node, options.stripe(), "sk_test_burst"),
          new FlowMetrics()).await();
      PaymentChains.settle(test, queue, orders);
      stripe.assertEveryOrderRanOnceAndChargedOnce(queue, orders);
    } finally {
      if (flowpay != null) {
        flowpay.stop().await();
      }
      stripe.close();
      client.close();
      node.close().await();
      test.close().await();
    }
  }
}
