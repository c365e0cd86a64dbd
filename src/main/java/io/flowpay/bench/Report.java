package io.flowpay.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The benchmark's result: one row per mode × concurrency with the median and spread (min-max) of
 * each metric over the rounds, printed as a table and written as Markdown and CSV. It also says how
 * Flowpay stands against the targets; the targets are reported, never asserted.
 */
final class Report {

  private record Metric(String title, String csv, int decimals, ToDoubleFunction<Round> value) {}

  private static final List<Metric> METRICS = List.of(
      new Metric("ops/s", "ops_per_s", 0, Round::opsPerSecond),
      new Metric("p50 ms", "p50_ms", 2, Round::p50Ms),
      new Metric("p99 ms", "p99_ms", 2, Round::p99Ms),
      new Metric("CPU us/op", "cpu_us_per_op", 0, Round::cpuMicrosPerOp),
      new Metric("of it JIT us/op", "jit_cpu_us_per_op", 0, Round::jitCpuMicrosPerOp),
      new Metric("Redis CPU us/op", "redis_cpu_us_per_op", 0, Round::redisCpuMicrosPerOp),
      new Metric("peak heap MB", "peak_heap_mb", 0, Round::peakHeapMb),
      new Metric("live heap MB", "live_heap_mb", 0, Round::liveHeapMb));

  /** One mode at one concurrency, over its rounds. */
  record Row(String mode, int inFlight, List<Round> rounds) {

    double median(ToDoubleFunction<Round> metric) {
      double[] values = values(metric);
      int middle = values.length / 2;
      return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    double min(ToDoubleFunction<Round> metric) {
      return values(metric)[0];
    }

    double max(ToDoubleFunction<Round> metric) {
      double[] values = values(metric);
      return values[values.length - 1];
    }

    int errors() {
      return rounds.stream().mapToInt(Round::errors).sum();
    }

    private double[] values(ToDoubleFunction<Round> metric) {
      return rounds.stream().mapToDouble(metric).sorted().toArray();
    }

    /** {@code median (min-max)}, or the one value of a single round. */
    private String cell(Metric metric) {
      int decimals = metric.decimals();
      String median = number(median(metric.value()), decimals);
      return rounds.size() == 1 ? median
          : median + " (" + number(min(metric.value()), decimals) + "-" + number(max(metric.value()), decimals) + ")";
    }
  }

  private final List<Row> rows;
  private final List<String> notes;
  private final long stripeLatencyMs;
  private final int threads;

  /** @param notes lines about the machine and the settings, printed above the table */
  Report(List<Row> rows, List<String> notes) {
    this(rows, notes, 0, 0);
  }

  /**
   * @param stripeLatencyMs how long the stand-in took to answer each call (0: at once)
   * @param threads the most live threads this process had during the run
   */
  Report(List<Row> rows, List<String> notes, long stripeLatencyMs, int threads) {
    this.rows = List.copyOf(rows);
    this.notes = List.copyOf(notes);
    this.stripeLatencyMs = stripeLatencyMs;
    this.threads = threads;
  }

  List<Row> rows() {
    return rows;
  }

  String table() {
    List<String[]> lines = new ArrayList<>();
    lines.add(header());
    rows.forEach(row -> lines.add(cells(row)));
    int[] widths = new int[lines.get(0).length];
    lines.forEach(cells -> {
      for (int i = 0; i < cells.length; i++) {
        widths[i] = Math.max(widths[i], cells[i].length());
      }
    });
    StringBuilder text = new StringBuilder();
    lines.forEach(cells -> {
      for (int i = 0; i < cells.length; i++) {
        text.append(String.format(Locale.ROOT, "%-" + (widths[i] + 2) + "s", cells[i]));
      }
      text.append(System.lineSeparator());
    });
    return text.toString();
  }

  String markdown() {
    StringBuilder text = new StringBuilder("# Flowpay benchmark\n\n");
    notes.forEach(note -> text.append("- ").append(note).append('\n'));
    text.append('\n').append("| ").append(String.join(" | ", header())).append(" |\n|");
    text.append("---|".repeat(header().length)).append('\n');
    rows.forEach(row -> text.append("| ").append(String.join(" | ", cells(row))).append(" |\n"));
    text.append("\nMedian over the rounds, (min-max) in brackets.\n");
    List<String> targets = targets();
    if (!targets.isEmpty()) {
      text.append("\nTargets (reported, not asserted):\n\n");
      targets.forEach(line -> text.append("- ").append(line).append('\n'));
    }
    return text.toString();
  }

  String csv() {
    StringBuilder text = new StringBuilder("mode,in_flight,rounds");
    METRICS.forEach(metric -> text.append(',').append(metric.csv()).append("_median,").append(metric.csv())
        .append("_min,").append(metric.csv()).append("_max"));
    text.append(",errors\n");
    for (Row row : rows) {
      text.append(row.mode()).append(',').append(row.inFlight()).append(',').append(row.rounds().size());
      for (Metric metric : METRICS) {
        text.append(',').append(number(row.median(metric.value()), 3)).append(',')
            .append(number(row.min(metric.value()), 3)).append(',').append(number(row.max(metric.value()), 3));
      }
      text.append(',').append(row.errors()).append('\n');
    }
    return text.toString();
  }

  /**
   * How Flowpay stands against the targets of issue 18: what durability costs over the bare hop (the
   * ceiling) in the same run, and Flowpay against the least a durable hop costs (the floor) when it ran.
   * Reported, never asserted.
   */
  List<String> targets() {
    List<String> lines = new ArrayList<>();
    for (Row flowpay : rows.stream().filter(row -> row.mode().equals(Modes.FLOWPAY)).toList()) {
      int n = flowpay.inFlight();
      find(Modes.CEILING, n).ifPresent(ceiling -> {
        double cpu = ratio(flowpay, ceiling, Report::cpuPerHop);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
            "at %d in flight: CPU per hop (JVM + Redis) %.0f us = %.2fx the ceiling's %.0f us (target <= 1.3x: %s)", n,
            flowpay.median(Report::cpuPerHop), cpu, ceiling.median(Report::cpuPerHop), met(cpu <= 1.3)));
        if (n >= 16) {
          double ops = ratio(flowpay, ceiling, Round::opsPerSecond);
          double p99 = ratio(flowpay, ceiling, Round::p99Ms);
          line.append(String.format(Locale.ROOT, "; hops/s %.2fx the ceiling's (target >= 0.75x: %s); p99 %.2fx"
              + " (target <= 1.3x: %s)", ops, met(ops >= 0.75), p99, met(p99 <= 1.3)));
        }
        lines.add(line.toString());
      });
      find(Modes.FLOOR, n).ifPresent(floor -> lines.add(againstFloor(flowpay, floor, find(Modes.CEILING, n))));
      if (n == 1) {
        double p50 = flowpay.median(Round::p50Ms);
        lines.add(String.format(Locale.ROOT, "at 1 in flight: hop p50 %.2f ms (target <= 0.3 ms: %s)", p50,
            met(p50 <= 0.3)));
      }
    }
    lines.addAll(latencyTargets());
    return lines;
  }

  /**
   * Flowpay against the durable floor at one concurrency (CPU per hop, hops/s, p50, p99), and the floor against
   * the ceiling when that ran too: how far a durable design can come towards the targets at all.
   */
  private static String againstFloor(Row flowpay, Row floor, Optional<Row> ceiling) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "at %d in flight against the durable floor:"
        + " CPU per hop %.0f us = %.2fx the floor's %.0f us; hops/s %.2fx (%.0f vs %.0f); p50 %.2f vs %.2f ms;"
        + " p99 %.2f vs %.2f ms", flowpay.inFlight(), flowpay.median(Report::cpuPerHop),
        ratio(flowpay, floor, Report::cpuPerHop), floor.median(Report::cpuPerHop), ratio(flowpay, floor,
        Round::opsPerSecond), flowpay.median(Round::opsPerSecond), floor.median(Round::opsPerSecond),
        flowpay.median(Round::p50Ms), floor.median(Round::p50Ms), flowpay.median(Round::p99Ms), floor.median(Round::p99Ms)));
    ceiling.ifPresent(bare -> line.append(String.format(Locale.ROOT, " (the floor itself: CPU per hop %.2fx the"
        + " ceiling's, hops/s %.2fx, p99 %.2fx)", ratio(floor, bare, Report::cpuPerHop), ratio(floor, bare,
        Round::opsPerSecond), ratio(floor, bare, Round::p99Ms))));
    return line.toString();
  }

  /**
   * At Stripe's latency: hops/s against what the payments in flight, each waiting the stand-in's latency, allow
   * (Little's law), unless the CPU is the limit: the target is within 5% of in flight / latency, or the cores
   * all busy (JVM + Redis CPU per hop times hops/s) when that is lower.
   */
  private List<String> latencyTargets() {
    long latencyMs = stripeLatencyMs;
    List<String> lines = new ArrayList<>();
    if (latencyMs <= 0) {
      return lines;
    }
    int cores = Runtime.getRuntime().availableProcessors();
    for (Row flowpay : rows.stream().filter(row -> row.mode().startsWith(Modes.FLOWPAY)).toList()) {
      double littles = flowpay.inFlight() * 1000.0 / latencyMs;
      double ops = flowpay.median(Round::opsPerSecond);
      double coresBusy = ops * flowpay.median(Report::cpuPerHop) / 1_000_000.0;
      boolean met = ops >= 0.95 * littles || coresBusy >= 0.95 * cores;
      lines.add(String.format(Locale.ROOT, "at %d in flight and %d ms per Stripe call: %.0f hops/s = %.2fx in flight /"
          + " latency (%.0f), %.2f of %d cores busy (target within 5%% of either: %s), %d errors, %d threads",
          flowpay.inFlight(), latencyMs, ops, ops / littles, littles, coresBusy, cores, met(met), flowpay.errors(),
          threads));
    }
    return lines;
  }

  private static double cpuPerHop(Round round) {
    return round.cpuMicrosPerOp() + round.redisCpuMicrosPerOp();
  }

  void write(Path dir, String name) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(name + ".md"), markdown());
      Files.writeString(dir.resolve(name + ".csv"), csv());
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the results to " + dir + ": pass --out with a writable folder", e);
    }
  }

  private static String[] header() {
    List<String> titles = new ArrayList<>(List.of("mode", "in flight"));
    METRICS.forEach(metric -> titles.add(metric.title()));
    titles.add("errors");
    return titles.toArray(String[]::new);
  }

  private static String[] cells(Row row) {
    List<String> cells = new ArrayList<>(List.of(row.mode(), String.valueOf(row.inFlight())));
    METRICS.forEach(metric -> cells.add(row.cell(metric)));
    cells.add(String.valueOf(row.errors()));
    return cells.toArray(String[]::new);
  }

  private Optional<Row> find(String mode, int inFlight) {
    return rows.stream().filter(row -> row.mode().equals(mode) && row.inFlight() == inFlight).findFirst();
  }

  private static double ratio(Row a, Row b, ToDoubleFunction<Round> metric) {
    double below = b.median(metric);
    return below == 0 ? Double.NaN : a.median(metric) / below;
  }

  private static String met(boolean met) {
    return met ? "met" : "NOT met";
  }

  /** {@code value} with {@code decimals} decimals, or "-" for a value not measured (NaN). */
  static String number(double value, int decimals) {
    if (Double.isNaN(value)) {
      return "-";
    }
    return String.format(Locale.ROOT, "%." + decimals + "f", value);
  }
}
