package io.flowpay.worker;

import io.flowpay.queue.Delivery;
import io.vertx.core.Future;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs deliveries one at a time per context, in arrival order, and different contexts in parallel.
 * Used from one event-loop context only (the worker verticle's), so it needs no locks.
 */
final class ContextLanes {

  private final Map<String, ArrayDeque<Delivery>> lanes = new HashMap<>();
  private final Function<Delivery, Future<?>> runner;
  private final Runnable onFinished;
  private int held;

  /**
   * @param runner runs one delivery; the lane's next delivery starts when its future completes
   * @param onFinished called after each delivery finished (room for more)
   */
  ContextLanes(Function<Delivery, Future<?>> runner, Runnable onFinished) {
    this.runner = runner;
    this.onFinished = onFinished;
  }

  void submit(Delivery delivery) {
    held++;
    String context = delivery.task().contextId();
    ArrayDeque<Delivery> lane = lanes.get(context);
    if (lane != null) {
      lane.add(delivery);
      return;
    }
    lanes.put(context, new ArrayDeque<>());
    start(delivery);
  }

  /** Deliveries running or waiting in a lane. */
  int held() {
    return held;
  }

  private void start(Delivery delivery) {
    runner.apply(delivery).onComplete(done -> finished(delivery));
  }

  private void finished(Delivery delivery) {
    held--;
    String context = delivery.task().contextId();
    Delivery next = lanes.get(context).poll();
    if (next == null) {
      lanes.remove(context);
    } else {
      start(next);
    }
    onFinished.run();
  }
}
