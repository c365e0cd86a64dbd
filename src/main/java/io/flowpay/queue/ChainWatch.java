package io.flowpay.queue;

import io.flowpay.failure.ChainTimeoutFailure;
import io.flowpay.failure.FlowpayFailure;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisConnection;
import java.util.function.Consumer;

/**
 * Follows one chain: hands each run record to a consumer as it is committed, and completes with
 * the chain's status once it is settled or stuck (a task of it parked, nothing else pending) and
 * every run record has been handed over.
 */
public final class ChainWatch {

  private static final long BLOCK_MS = 500;

  private final RedisTaskQueue queue;
  private final RedisConnection connection;
  private final String chainId;
  private final Consumer<JsonObject> onRun;
  private final long deadline;
  private final Promise<ChainStatus> done = Promise.promise();
  private String lastId = "0";
  private long seen;

  private ChainWatch(RedisTaskQueue queue, RedisConnection connection, String chainId, Consumer<JsonObject> onRun,
      long timeoutMs) {
    this.queue = queue;
    this.connection = connection;
    this.chainId = chainId;
    this.onRun = onRun;
    this.deadline = System.currentTimeMillis() + timeoutMs;
  }

  /**
   * Follows {@code chainId} over {@code connection} (dedicated: it is held in blocking reads).
   * Fails when the chain does not exist or is not settled within {@code timeoutMs}.
   */
  public static Future<ChainStatus> follow(RedisTaskQueue queue, RedisConnection connection, String chainId,
      Consumer<JsonObject> onRun, long timeoutMs) {
    ChainWatch watch = new ChainWatch(queue, connection, chainId, onRun, timeoutMs);
    watch.step();
    return watch.done.future();
  }

  private void step() {
    queue.chainRuns(connection, chainId, lastId, BLOCK_MS)
        .compose(entries -> {
          entries.forEach(entry -> {
            lastId = entry.id();
            seen++;
            onRun.accept(new JsonObject(entry.json()));
          });
          return queue.chain(chainId);
        })
        .onSuccess(this::settledOrNext)
        .onFailure(done::tryFail);
  }

  private void settledOrNext(ChainStatus status) {
    if (status == null) {
      done.tryFail(new FlowpayFailure(FlowpayFailure.Kind.BAD_REQUEST,
          "no chain '" + chainId + "' in Redis (it may have expired, or Redis is not the service's)"));
    } else if (status.ended() && seen >= status.runs()) {
      done.tryComplete(status);
    } else if (System.currentTimeMillis() > deadline) {
      done.tryFail(new ChainTimeoutFailure(chainId, status.pending()));
    } else {
      step();
    }
  }
}
