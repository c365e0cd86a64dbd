package io.flowpay.bench;

import com.sun.management.OperatingSystemMXBean;
import io.flowpay.config.WorkerIds;
import io.flowpay.flow.Ids;
import io.flowpay.standin.CannedStripe;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * {@code flowpay bench --processes N[,M...]}: Flowpay hops served by N real {@code flowpay serve} child
 * processes that share a pool of worker ids (leases), against one Redis and one Stripe stand-in started
 * here. For each N: start the children, wait until the leases are spread over them, then for each
 * concurrency a warm-up and measured rounds; CPU per hop is every child's CPU time plus Redis's (this
 * process only drives the chains and reads the sink: its own CPU is shown apart, not counted), so
 * 1 and 2 processes compare.
 */
final class FleetBench {

  /** The stand-in's made-up key: the children's only secret-shaped value. */
  private static final String STAND_IN_KEY = "sk_test_flowpay_bench";
  private static final long FIRST_OP_WAIT_MS = 60_000;
  private static final long SPREAD_BASE_MS = 60_000;
  /** How long the pool is watched with no load, to tell its polling from what the hops ask of Redis. */
  private static final long IDLE_MS = 5_000;

  private final FleetOptions fleet;
  private final Bench.Settings settings;
  private final List<Integer> concurrency;
  private final long stripeLatencyMs;
  private final PrintWriter out;
  private final PrintWriter progress;
  private final String run = Ids.newId().substring(0, 8);
  /** Per process count and concurrency: what a hop asked of Redis over the measured rounds (exact counts). */
  private final List<String> perHop = new ArrayList<>();
  private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  FleetBench(FleetOptions fleet, Bench.Settings settings, List<Integer> concurrency, long stripeLatencyMs,
      PrintWriter out, PrintWriter progress) {
    this.fleet = fleet;
    this.settings = settings;
    this.concurrency = List.copyOf(concurrency);
    this.stripeLatencyMs = stripeLatencyMs;
    this.out = out;
    this.progress = progress;
  }

  /**
   * Runs every process count and writes {@code fleet.md} and {@code fleet.csv} to {@code dir}.
   *
   * @param standalone brings up the one Redis of {@code --redis standalone}
   * @param persist {@code --redis-persist}: the Redis writes every change to disk before it answers (for
   *     {@code --redis standalone}, {@code standalone} already says so)
   */
  void run(Supplier<FleetRedis> standalone, Path dir, boolean persist) {
    String loadBefore = loadAverage();
    Path logs = createDirectories(dir.resolve("fleet-logs"));
    try (CannedStripe standIn = CannedStripe.start(stripeLatencyMs);
        FleetRedis redis = RedisTopology.parse(fleet.redis).start(standalone, dir.resolve("redis-cluster"),
            persist, fleet.clusterPrimaries)) {
      List<String> notes = notes(loadBefore, redis, standIn, logs);
      List<Report.Row> rows = new ArrayList<>();
      for (int processes : fleet.processes) {
        rows.addAll(measureFleet(processes, redis, standIn, logs));
      }
      notes.add("load average after: " + loadAverage() + " (a busy or shared machine makes every number noisy)");
      notes.addAll(perHop);
      notes.addAll(comparison(rows));
      Report report = new Report(rows, notes);
      out.println(String.join(System.lineSeparator(), notes));
      out.println();
      out.print(report.table());
      report.write(dir, "fleet");
      out.println("written: " + dir.resolve("fleet.md") + ", " + dir.resolve("fleet.csv"));
      out.flush();
    }
  }

  private List<String> notes(String loadBefore, FleetRedis redis, CannedStripe standIn, Path logs) {
    return new ArrayList<>(List.of(
        Instant.now() + "; " + Runtime.getRuntime().availableProcessors() + " CPU(s) (nproc); load average before: "
            + loadBefore,
        "Flowpay as 'flowpay serve' child processes (JVM " + System.getProperty("java.vm.version") + ", JVM flags "
            + ServeChild.memoryFlags() + ") sharing " + fleet.workerIds + " worker ids through leases (TTL "
            + fleet.leaseTtlMs + " ms), measured once the leases were spread; their output in " + logs,
        "Redis " + redis.describe() + "; Stripe stand-in: Vert.x HTTP server in the bench, " + standIn.bodyBytes()
            + "-byte payment_intent" + (stripeLatencyMs > 0 ? ", answered after " + stripeLatencyMs + " ms" : ""),
        String.format(Locale.ROOT, "%d round(s) x %.1f s after %.1f s warm-up per process count and concurrency;"
            + " chains started through Redis by the bench, placed on the pool's ids by context", settings.rounds(),
            settings.roundMs() / 1000.0, settings.warmupMs() / 1000.0),
        "CPU us/op = all serve processes (/proc utime+stime); Redis CPU us/op from INFO cpu; heap columns are not"
            + " measured in this mode (0)"));
  }

  /** One fleet of {@code processes}: its rows, one per concurrency. The children are stopped before it returns. */
  private List<Report.Row> measureFleet(int processes, FleetRedis redis, CannedStripe standIn, Path logs) {
    String prefix = "fb" + run + "-" + processes + "p";
    List<String> ids = WorkerIds.expand(List.of(prefix + "-{0.." + (fleet.workerIds - 1) + "}"));
    String sink = prefix + "-done";
    Path flows = BenchFlows.write(sink);
    Path config = writeConfig(redis, ids, flows, standIn.baseUrl(), logs.resolve(prefix + ".json"));
    List<Report.Row> rows = new ArrayList<>();
    try (ServeFleet serving = ServeFleet.start(processes, config, ids, redis.options(), STAND_IN_KEY, logs,
        fleet.leaseTtlMs + 20_000L)) {
      Map<Long, Integer> spread = serving.awaitSpread(SPREAD_BASE_MS + 3L * fleet.leaseTtlMs);
      progress.printf(Locale.ROOT, "bench: %d serve process(es) share worker ids %s-{0..%d}; leases held by pid: %s%n",
          processes, prefix, fleet.workerIds - 1, spread);
      progress.flush();
      Idle idle = idle(redis, processes);
      try (FleetLoad load = new FleetLoad(redis.options(), ids, sink, prefix)) {
        for (int inFlight : concurrency) {
          rows.add(new Report.Row(Modes.FLOWPAY + "-" + processes + "p", inFlight,
              measure(serving, redis, standIn, load, inFlight, processes, idle)));
        }
      }
      serving.stop();
      List<String> held = serving.leasesHeld();
      progress.printf(Locale.ROOT, "bench: %d serve process(es) stopped (pids %s); leases still held: %s%n", processes,
          serving.children().stream().map(child -> String.valueOf(child.pid())).collect(Collectors.joining(",")),
          held.isEmpty() ? "none" : held);
      progress.flush();
    } finally {
      BenchFlows.delete(flows);
    }
    return rows;
  }

  /** What the pool asked of Redis with no load (its polling) over {@code seconds}. */
  private record Idle(RedisCounts counts, double seconds) {
  }

  /** Watches the pool for {@link #IDLE_MS} with no load. */
  private Idle idle(FleetRedis redis, int processes) {
    RedisCounts before = redis.counts();
    long cpu = redis.cpuNanos();
    long start = System.nanoTime();
    ServeFleet.pause(IDLE_MS);
    Idle idle = new Idle(redis.counts().since(before), (System.nanoTime() - start) / 1e9);
    perHop.add(String.format(Locale.ROOT, "Redis per second with no load, %d process(es): CPU %.1f ms, %s", processes,
        (redis.cpuNanos() - cpu) / 1e6 / idle.seconds(), idle.counts().perHop(idle.seconds())));
    return idle;
  }

  private List<Round> measure(ServeFleet serving, FleetRedis redis, CannedStripe standIn, Load load, int inFlight,
      int processes, Idle idle) {
    Recorder recorder = new Recorder();
    load.start(inFlight, recorder);
    recorder.open();
    ServeFleet.pause(settings.warmupMs());
    recorder.awaitFirstOperation(FIRST_OP_WAIT_MS);
    recorder.close();
    List<Round> rounds = new ArrayList<>();
    RedisCounts counted = RedisCounts.NONE;
    long hops = 0;
    long elapsedNanos = 0;
    for (int i = 1; i <= settings.rounds(); i++) {
      RedisCounts before = redis.counts();
      long children = serving.cpuNanos();
      long redisCpu = redis.cpuNanos();
      long driver = driverCpuNanos(standIn);
      recorder.open();
      ServeFleet.pause(settings.roundMs());
      recorder.awaitFirstOperation(FIRST_OP_WAIT_MS);
      Recorder.Window window = recorder.close();
      counted = counted.plus(redis.counts().since(before));
      hops += window.ops();
      elapsedNanos += window.elapsedNanos();
      double ops = Math.max(1, window.ops());
      Round round = new Round(window.opsPerSecond(), window.p50Nanos() / 1e6, window.p99Nanos() / 1e6,
          (serving.cpuNanos() - children) / ops / 1e3, (redis.cpuNanos() - redisCpu) / ops / 1e3, 0, 0,
          window.errors());
      serving.requireAlive();
      rounds.add(round);
      progress.printf(Locale.ROOT, "bench: %d process(es) at %d in flight, round %d/%d: %.0f hops/s, CPU per hop %.0f us"
          + " (serve processes) + %.0f us (Redis), p99 %.2f ms, %d error(s); the bench's own CPU %.0f us/hop (not"
          + " counted)%n", processes, inFlight, i, settings.rounds(), round.opsPerSecond(), round.cpuMicrosPerOp(),
          round.redisCpuMicrosPerOp(), round.p99Ms(), round.errors(), (driverCpuNanos(standIn) - driver) / ops / 1e3);
      progress.flush();
    }
    load.stop();
    perHop.add(String.format(Locale.ROOT, "Redis per hop, %d process(es) at %d in flight (%d hops ended in %.1f s, the"
        + " divisor): %s; less the polling of an idle second: %s", processes, inFlight, hops, elapsedNanos / 1e9,
        counted.perHop(hops), counted.less(idle.counts(), elapsedNanos / 1e9 / idle.seconds()).perHop(hops)));
    progress.println("bench: " + perHop.get(perHop.size() - 1));
    progress.flush();
    return rounds;
  }

  /** This process's CPU time less the stand-in's thread: what driving the chains costs. */
  private long driverCpuNanos(CannedStripe standIn) {
    return os.getProcessCpuTime() - standIn.cpuNanos();
  }

  /** The children's config: the pool's ids, the bench flows, the stand-in, and the in-process bench's settings. */
  private Path writeConfig(FleetRedis redis, List<String> ids, Path flows, String stripeBase, Path file) {
    int most = concurrency.stream().mapToInt(Integer::intValue).max().orElse(1);
    JsonObject config = new JsonObject()
        .put("redis", redis.configSection())
        .put("workers", new JsonArray(ids))
        .put("flowsDir", flows.toString())
        .put("stripe", new JsonObject().put("apiBase", stripeBase).put("maxConnections", Modes.connections(most)))
        .put("worker", new JsonObject().put("maxInFlight", Math.max(io.flowpay.config.WorkerOptions.DEFAULT_MAX_IN_FLIGHT,
            most)).put("leaseTtlMs", fleet.leaseTtlMs));
    try {
      return Files.writeString(file, config.encodePrettily());
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the serve processes' config to " + file
          + ": pass --out with a writable folder", e);
    }
  }

  /** For each concurrency, every process count against the first one's: hops/s and CPU per hop (serve + Redis). */
  static List<String> comparison(List<Report.Row> rows) {
    List<String> lines = new ArrayList<>();
    for (Report.Row row : rows) {
      Optional<Report.Row> base = rows.stream().filter(other -> other.inFlight() == row.inFlight()).findFirst();
      if (base.isEmpty() || base.get() == row) {
        continue;
      }
      double ops = row.median(Round::opsPerSecond) / base.get().median(Round::opsPerSecond);
      double cpu = row.median(FleetBench::cpuPerHop) / base.get().median(FleetBench::cpuPerHop);
      lines.add(String.format(Locale.ROOT, "at %d in flight, %s against %s: hops/s %.2fx, CPU per hop (serve"
          + " processes + Redis) %.0f us = %.2fx", row.inFlight(), row.mode(), base.get().mode(), ops,
          row.median(FleetBench::cpuPerHop), cpu));
    }
    return lines;
  }

  private static double cpuPerHop(Round round) {
    return round.cpuMicrosPerOp() + round.redisCpuMicrosPerOp();
  }

  private static Path createDirectories(Path dir) {
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("could not create " + dir + ": pass --out with a writable folder", e);
    }
  }

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }
}
