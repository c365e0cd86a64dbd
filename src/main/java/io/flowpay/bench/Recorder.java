package io.flowpay.bench;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Counts completed operations and keeps their latencies while a measurement window is open.
 * Thread-safe: completions arrive from event loops and pool threads.
 */
final class Recorder {

  private long[] latencies = new long[4096];
  private int ops;
  private int errors;
  private boolean open;
  private long openedAt;
  private volatile CountDownLatch firstOp = new CountDownLatch(1);

  /** One completed operation; a failed one counts as an error, not as an operation. */
  synchronized void record(long latencyNanos, boolean ok) {
    if (!open) {
      return;
    }
    if (!ok) {
      errors++;
      return;
    }
    if (ops == latencies.length) {
      latencies = Arrays.copyOf(latencies, ops * 2);
    }
    latencies[ops++] = latencyNanos;
    firstOp.countDown();
  }

  synchronized void open() {
    ops = 0;
    errors = 0;
    open = true;
    openedAt = System.nanoTime();
    firstOp = new CountDownLatch(1);
  }

  /**
   * Waits until the open window has seen an operation complete, at most {@code timeoutMs}: a cold
   * start (first flow compile, class loading) never makes a round that measured nothing.
   */
  void awaitFirstOperation(long timeoutMs) {
    try {
      firstOp.await(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  synchronized Window close() {
    open = false;
    long elapsed = System.nanoTime() - openedAt;
    long[] sorted = Arrays.copyOf(latencies, ops);
    Arrays.sort(sorted);
    return new Window(ops, errors, elapsed, percentile(sorted, 0.50), percentile(sorted, 0.99));
  }

  /** Nearest-rank percentile, in nanoseconds; 0 when nothing completed. */
  private static long percentile(long[] sorted, double p) {
    return sorted.length == 0 ? 0 : sorted[(int) Math.ceil(p * sorted.length) - 1];
  }

  /** What one measurement window saw. */
  record Window(int ops, int errors, long elapsedNanos, long p50Nanos, long p99Nanos) {

    double opsPerSecond() {
      return ops * 1e9 / elapsedNanos;
    }
  }
}
