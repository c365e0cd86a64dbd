package io.flowpay.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntConsumer;

/**
 * Keeps {@code slots} operations in flight: the operation of a slot calls {@link #done} when it
 * completes, which records its latency and starts the slot's next operation until {@link #stop}.
 */
final class ClosedLoop {

  private final AtomicLongArray startedAt;
  private final Recorder recorder;
  private final IntConsumer operation;
  private final CountDownLatch finished;
  private volatile boolean running = true;

  /** @param operation starts slot {@code i}'s operation, does not block, and never throws */
  ClosedLoop(int slots, Recorder recorder, IntConsumer operation) {
    this.startedAt = new AtomicLongArray(slots);
    this.recorder = recorder;
    this.operation = operation;
    this.finished = new CountDownLatch(slots);
  }

  void start() {
    for (int slot = 0; slot < startedAt.length(); slot++) {
      begin(slot);
    }
  }

  /** Slot {@code slot}'s operation completed (or failed: {@code ok} false). */
  void done(int slot, boolean ok) {
    recorder.record(System.nanoTime() - startedAt.get(slot), ok);
    if (running) {
      begin(slot);
    } else {
      finished.countDown();
    }
  }

  /** Stops starting operations and waits up to {@code timeoutMs} for the rest; says so when some never finish. */
  void drain(long timeoutMs, String mode) {
    running = false;
    try {
      finished.await(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (finished.getCount() > 0) {
      System.err.printf("flowpay bench: %s: %d operation(s) still in flight after %d ms; going on%n", mode,
          finished.getCount(), timeoutMs);
    }
  }

  private void begin(int slot) {
    startedAt.set(slot, System.nanoTime());
    operation.accept(slot);
  }
}
