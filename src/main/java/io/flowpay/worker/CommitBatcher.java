package io.flowpay.worker;

import io.flowpay.queue.Commit;
import io.flowpay.queue.RedisTaskQueue;
import io.flowpay.queue.RedisTaskQueue.PreparedCommit;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Group commit: runs that finish while earlier commits are on their way to Redis wait and go
 * together, in one script call, as soon as one of those returns. An idle worker commits each run at
 * once; a busy one sends fewer, larger requests, which is where Redis and the event loop save
 * (measured in the README's Benchmarks). Used from the worker's event loop only, so it needs no locks.
 */
final class CommitBatcher {

  private final RedisTaskQueue queue;
  private final int maxBatch;
  private final int maxRequests;
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  private int requests;

  /**
   * @param maxBatch runs at most in one request
   * @param maxRequests requests at most on their way at once
   */
  CommitBatcher(RedisTaskQueue queue, int maxBatch, int maxRequests) {
    this.queue = queue;
    this.maxBatch = maxBatch;
    this.maxRequests = maxRequests;
  }

  Future<Commit> commit(PreparedCommit prepared) {
    Promise<Commit> promise = Promise.promise();
    waiting.add(new Waiting(prepared, promise));
    send();
    return promise.future();
  }

  private void send() {
    while (requests < maxRequests && !waiting.isEmpty()) {
      List<Waiting> batch = new ArrayList<>(Math.min(waiting.size(), maxBatch));
      while (batch.size() < maxBatch && !waiting.isEmpty()) {
        batch.add(waiting.poll());
      }
      requests++;
      queue.commit(batch.stream().map(Waiting::prepared).toList()).onComplete(done -> {
        requests--;
        for (int i = 0; i < batch.size(); i++) {
          if (done.succeeded()) {
            batch.get(i).promise().complete(done.result().get(i));
          } else {
            batch.get(i).promise().fail(done.cause());
          }
        }
        send();
      });
    }
  }

  private record Waiting(PreparedCommit prepared, Promise<Commit> promise) {}
}
