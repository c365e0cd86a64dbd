package io.flowpay.worker;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Group commit: items (runs to commit, answers to store) that come while earlier requests are on
 * their way to Redis wait and go together, in one request, as soon as one of those returns. An idle
 * worker sends each item at once; a busy one sends fewer, larger requests, which is where Redis and
 * the event loop save (measured in the README's Benchmarks). Used from the worker's event loop
 * only, so it needs no locks.
 *
 * @param <T> what is sent
 * @param <R> the answer for one item
 */
final class Batcher<T, R> {

  private final Function<List<T>, Future<List<R>>> sender;
  private final int maxBatch;
  private final int maxRequests;
  private final ArrayDeque<Waiting<T, R>> waiting = new ArrayDeque<>();
  private int requests;

  /**
   * @param sender sends a batch in one request; its answer holds one result per item, in order
   * @param maxBatch items at most in one request
   * @param maxRequests requests at most on their way at once
   */
  Batcher(Function<List<T>, Future<List<R>>> sender, int maxBatch, int maxRequests) {
    this.sender = sender;
    this.maxBatch = maxBatch;
    this.maxRequests = maxRequests;
  }

  Future<R> send(T item) {
    Promise<R> promise = Promise.promise();
    waiting.add(new Waiting<>(item, promise));
    flush();
    return promise.future();
  }

  private void flush() {
    while (requests < maxRequests && !waiting.isEmpty()) {
      List<Waiting<T, R>> batch = new ArrayList<>(Math.min(waiting.size(), maxBatch));
      while (batch.size() < maxBatch && !waiting.isEmpty()) {
        batch.add(waiting.poll());
      }
      requests++;
      send(batch.stream().map(Waiting::item).toList()).onComplete(done -> {
        requests--;
        for (int i = 0; i < batch.size(); i++) {
          if (done.succeeded()) {
            batch.get(i).promise().complete(done.result().get(i));
          } else {
            batch.get(i).promise().fail(done.cause());
          }
        }
        flush();
      });
    }
  }

  private Future<List<R>> send(List<T> items) {
    try {
      return sender.apply(items);
    } catch (RuntimeException unsendable) {
      return Future.failedFuture(unsendable);
    }
  }

  private record Waiting<T, R>(T item, Promise<R> promise) {}
}
