package io.flowpay.cli;

import io.flowpay.metrics.FlowMetrics;
import io.flowpay.queue.QueueReader;
import io.flowpay.queue.WorkerStats;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * The one-line status {@code serve} prints every so often: runs since start (from the metrics), calls in flight,
 * queue length and lag (from Redis), so that a working service says it is working.
 */
final class ServeStatus {

  private final Vertx vertx;
  private final FlowMetrics metrics;
  private final QueueReader reader;
  private final List<String> workers;
  private final PrintWriter out;
  private long timer = -1;

  ServeStatus(Vertx vertx, FlowMetrics metrics, QueueReader reader, List<String> workers, PrintWriter out) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.reader = reader;
    this.workers = workers;
    this.out = out;
  }

  /** Prints every {@code seconds} (0: never). */
  void start(long seconds) {
    if (seconds > 0) {
      timer = vertx.setPeriodic(seconds * 1000, tick -> line().onSuccess(this::print));
    }
  }

  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** e.g. {@code runs ok 12, failed 1; calls in flight 0; queued 0, running 2; lag 0.1s; dead 0}. */
  Future<String> line() {
    List<Future<WorkerStats>> reads = workers.stream().map(reader::worker).toList();
    return Future.all(reads).map(done -> {
      long calls = 0;
      long queued = 0;
      long running = 0;
      long lag = 0;
      long dead = 0;
      for (Future<WorkerStats> read : reads) {
        WorkerStats stats = read.result();
        calls += stats.callsInFlight();
        queued += stats.queued();
        running += stats.pending();
        lag = Math.max(lag, stats.oldestAgeMs());
        dead += stats.dead();
      }
      return String.format(Locale.ROOT, "%s; calls in flight %d; queued %d, running %d; lag %.1fs; dead letters %d",
          runs(), calls, queued, running, lag / 1000.0, dead);
    });
  }

  /** {@code runs ok N, failed M} since the process started. */
  String runs() {
    long ok = 0;
    long failed = 0;
    for (Counter counter : metrics.registry().find("flowpay.runs").counters()) {
      long count = (long) counter.count();
      if ("ok".equals(counter.getId().getTag("status"))) {
        ok += count;
      } else {
        failed += count;
      }
    }
    return "runs ok " + ok + ", failed " + failed;
  }

  private synchronized void print(String line) {
    out.println("flowpay: status: " + line);
    out.flush();
  }
}
