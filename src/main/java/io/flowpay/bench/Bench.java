package io.flowpay.bench;

import io.flowpay.standin.CannedStripe;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the modes: for each concurrency, a warm-up, then measured rounds with the load kept running. */
final class Bench {

  private static final double MB = 1024.0 * 1024.0;
  /** Longest a warm-up or round waits past its length for its first completed operation. */
  private static final long FIRST_OP_WAIT_MS = 60_000;

  /** Rounds per mode and concurrency, and their lengths. */
  record Settings(int rounds, long roundMs, long warmupMs) {}

  private final String redisUrl;
  private final CannedStripe standIn;
  private final Probe probe;
  private final Settings settings;
  private final PrintWriter progress;
  private final boolean reuseGlobals;

  /** @param reuseGlobals the floor and the ceiling evaluate flows in one global per script thread ({@code --reuse-globals}) */
  Bench(String redisUrl, CannedStripe standIn, Probe probe, Settings settings, PrintWriter progress, boolean reuseGlobals) {
    this.redisUrl = redisUrl;
    this.standIn = standIn;
    this.probe = probe;
    this.settings = settings;
    this.progress = progress;
    this.reuseGlobals = reuseGlobals;
  }

  Report run(List<String> modes, List<Integer> concurrency, List<String> notes) {
    notes.add(String.format(Locale.ROOT, "%d round(s) x %.1f s after %.1f s warm-up per mode and concurrency",
        settings.rounds(), settings.roundMs() / 1000.0, settings.warmupMs() / 1000.0));
    int most = concurrency.stream().mapToInt(Integer::intValue).max().orElse(1);
    List<Report.Row> rows = new ArrayList<>();
    List<String> perHop = new ArrayList<>();
    for (String mode : modes) {
      try (Load load = Modes.create(mode, redisUrl, standIn.baseUrl(), most, reuseGlobals)) {
        for (int inFlight : concurrency) {
          rows.add(new Report.Row(mode, inFlight, measure(mode, load, inFlight, perHop)));
        }
      }
    }
    notes.addAll(perHop);
    return new Report(rows, notes);
  }

  /** Flowpay at {@code inFlight} for {@code seconds}: one long round, with the live heap before and after. */
  Report soak(int inFlight, int seconds, List<String> notes) {
    try (Load load = Modes.create(Modes.FLOWPAY, redisUrl, standIn.baseUrl(), inFlight, false)) {
      Recorder recorder = new Recorder();
      load.start(inFlight, recorder);
      warmUp(recorder);
      long heapStart = probe.liveHeap();
      long redisStart = probe.redisMemory();
      Probe.Mark mark = probe.mark();
      recorder.open();
      pause(seconds * 1000L);
      Round round = probe.round(mark, recorder.close());
      long redisEnd = probe.redisMemory();
      load.stop();
      notes.add(String.format(Locale.ROOT, "soak: Flowpay at %d in flight for %d s after %.1f s warm-up", inFlight,
          seconds, settings.warmupMs() / 1000.0));
      notes.add(String.format(Locale.ROOT, "heap after System.gc(): %.1f MB at the start, %.1f MB at the end; "
          + "Redis used_memory: %.1f MB at the start, %.1f MB at the end", heapStart / MB, round.liveHeapMb(),
          redisStart / MB, redisEnd / MB));
      return new Report(List.of(new Report.Row("flowpay-soak", inFlight, List.of(round))), notes);
    }
  }

  /**
   * The rounds of {@code mode} at {@code inFlight}; adds to {@code perHop} what the rounds asked of Redis per
   * operation (exact counts, where times on a busy machine are not).
   */
  private List<Round> measure(String mode, Load load, int inFlight, List<String> perHop) {
    Recorder recorder = new Recorder();
    load.start(inFlight, recorder);
    warmUp(recorder);
    List<Round> rounds = new ArrayList<>();
    RedisCounts counted = RedisCounts.NONE;
    long ops = 0;
    for (int i = 1; i <= settings.rounds(); i++) {
      RedisCounts before = probe.counts();
      Probe.Mark mark = probe.mark();
      recorder.open();
      pause(settings.roundMs());
      recorder.awaitFirstOperation(FIRST_OP_WAIT_MS);
      Recorder.Window window = recorder.close();
      counted = counted.plus(probe.counts().since(before));
      ops += window.ops();
      Round round = probe.round(mark, window);
      rounds.add(round);
      progress.printf(Locale.ROOT, "bench: %s at %d in flight, round %d/%d: %.0f ops/s, p99 %.2f ms, %d error(s)%n",
          mode, inFlight, i, settings.rounds(), round.opsPerSecond(), round.p99Ms(), round.errors());
      progress.flush();
      pause(Math.min(500, settings.roundMs() / 4));
    }
    load.stop();
    perHop.add(String.format(Locale.ROOT, "Redis per operation, %s at %d in flight (%d operations in the rounds, the"
        + " divisor; the load's own polling included): %s", mode, inFlight, ops, counted.perHop(ops)));
    return rounds;
  }

  /** Runs the load unmeasured for the warm-up time, and at least until one operation completed. */
  private void warmUp(Recorder recorder) {
    recorder.open();
    pause(settings.warmupMs());
    recorder.awaitFirstOperation(FIRST_OP_WAIT_MS);
    recorder.close();
  }

  /**
   * The benchmark's clock: this (command-line) thread waits for a timer while the load runs on
   * other threads. Never called on an event loop.
   */
  private static void pause(long millis) {
    new CompletableFuture<Void>().completeOnTimeout(null, millis, TimeUnit.MILLISECONDS).join();
  }
}
