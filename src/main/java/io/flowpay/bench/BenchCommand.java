package io.flowpay.bench;

import io.flowpay.failure.FlowpayFailure;
import io.flowpay.standin.CannedStripe;
import io.flowpay.standin.EmbeddedRedis;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code flowpay bench}: what scripting and durable dispatch cost, in one run on this machine.
 * Against a loopback Stripe stand-in and a local Redis (embedded, unless {@code REDIS_URL}), it
 * measures Flowpay hops, the same hop by hand with the least durability needs (the floor), the bare work by hand
 * (the ceiling), and blocking stripe-java, at
 * each concurrency, and writes the table to {@code --out} as Markdown and CSV.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure Flowpay hops/s against a hand-written durable floor, a hand-written ceiling and blocking stripe-java (loopback Stripe stand-in, local Redis).")
public final class BenchCommand implements Callable<Integer> {

  @Option(names = "--quick", description = "1 round of 3 s after a 2 s warm-up (unless --rounds/--seconds/--warmup are given).")
  boolean quick;

  @Option(names = "--rounds", description = "Measured rounds per mode and concurrency (default 3).")
  Integer rounds;

  @Option(names = "--seconds", description = "Length of one round in seconds (default 10).")
  Double seconds;

  @Option(names = "--warmup", description = "Warm-up in seconds before the rounds of each mode and concurrency (default 30: Nashorn and the JIT need about a minute to settle).")
  Double warmup;

  @Option(names = "--concurrency", split = ",", defaultValue = "1,16,256", description = "Operations in flight (default 1,16,256).")
  List<Integer> concurrency;

  @Option(names = "--modes", split = ",", defaultValue = "flowpay,floor,ceiling,stripe-java",
      description = "Modes to run (default flowpay,floor,ceiling,stripe-java).")
  List<String> modes;

  @Option(names = "--out", defaultValue = "target/bench", description = "Folder for bench.md and bench.csv (default target/bench).")
  Path out;

  @Option(names = "--stripe-latency-ms", defaultValue = "0",
      description = "The stand-in answers this many ms after each request, as Stripe does (default 0: at once).")
  long stripeLatencyMs;

  @Option(names = "--redis-persist", description = "The embedded Redis (or with --redis cluster, every cluster node)"
      + " writes every change to disk before it answers (appendonly yes, appendfsync always), as Redis for money"
      + " should: what durability on disk costs. Without it, no Redis of the bench persists anything.")
  boolean redisPersist;

  @Option(names = "--reuse-globals", description = "The floor and the ceiling evaluate each flow in one Nashorn global"
      + " reused per script thread (as Flowpay's sandbox does once it has proven the global unchanged; no proof here)"
      + " instead of a fresh global per run: what a fresh global costs them.")
  boolean reuseGlobals;

  @Option(names = "--soak", description = "Instead: Flowpay at the highest --concurrency for this many seconds, heap after a GC at start and end.")
  Integer soak;

  @Mixin
  FleetOptions fleet;

  @Spec
  CommandSpec spec;

  private final Map<String, String> env;
  private Path persistDir;

  public BenchCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    validate();
    PrintWriter printer = spec.commandLine().getOut();
    String loadBefore = loadAverage();
    String externalRedis = env.get("REDIS_URL");
    boolean embedded = externalRedis == null || externalRedis.isBlank();
    if (redisPersist && !embedded && !(fleet.enabled() && "cluster".equalsIgnoreCase(fleet.redis))) {
      throw new ParameterException(spec.commandLine(), "--redis-persist configures the embedded Redis: with REDIS_URL,"
          + " set appendonly yes and appendfsync always on your own server instead");
    }
    if (fleet.enabled()) {
      return runFleet(embedded, externalRedis, printer);
    }
    if (fleet.strayProblem(spec.commandLine().getParseResult()) != null) {
      throw new ParameterException(spec.commandLine(), fleet.strayProblem(spec.commandLine().getParseResult()));
    }
    try (EmbeddedRedis redis = embedded ? startRedis() : null;
        CannedStripe standIn = CannedStripe.start(stripeLatencyMs);
        Probe probe = new Probe(embedded ? redis.url() : externalRedis, standIn)) {
      Bench bench = new Bench(embedded ? redis.url() : externalRedis, standIn, probe, settings(),
          spec.commandLine().getErr(), reuseGlobals);
      List<String> notes = new ArrayList<>(List.of(Instant.now() + "; " + Runtime.getRuntime().availableProcessors()
          + " CPU(s) (nproc); load average before: " + loadBefore,
          "JVM " + System.getProperty("java.vm.version") + ", max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024)
              + " MB, GC " + String.join("/", ManagementFactory.getGarbageCollectorMXBeans().stream().map(gc -> gc.getName()).toList()),
          "Redis " + (embedded ? "embedded" + (redisPersist ? ", appendfsync always" : ", no persistence") : "from REDIS_URL") + "; Stripe stand-in: Vert.x HTTP server, "
              + standIn.bodyBytes() + "-byte payment_intent"
              + (stripeLatencyMs > 0 ? ", answered after " + stripeLatencyMs + " ms" : ""),
          "floor and ceiling: " + (reuseGlobals ? "one Nashorn global reused per script thread (--reuse-globals)"
              : "a fresh Nashorn global per run")));
      Report report = soak == null ? bench.run(modes, concurrency, notes) : bench.soak(Collections.max(concurrency), soak, notes);
      notes.add("load average after: " + loadAverage() + " (a busy or shared machine makes every number noisy)");
      report = new Report(report.rows(), notes, stripeLatencyMs, ManagementFactory.getThreadMXBean().getPeakThreadCount());
      printer.println(String.join(System.lineSeparator(), notes));
      printer.println();
      printer.print(report.table());
      report.targets().forEach(printer::println);
      String name = soak == null ? "bench" : "soak";
      report.write(out, name);
      printer.println("written: " + out.resolve(name + ".md") + ", " + out.resolve(name + ".csv"));
      printer.flush();
      return 0;
    } catch (FlowpayFailure failure) {
      spec.commandLine().getErr().println("flowpay: " + failure.getMessage());
      return 1;
    } finally {
      deletePersistDir();
    }
  }

  /** {@code --processes}: Flowpay as serve child processes ({@link FleetBench}). */
  private int runFleet(boolean embedded, String externalRedis, PrintWriter printer) {
    String problem = soak != null ? "--soak runs in-process: leave it out with --processes"
        : spec.commandLine().getParseResult().hasMatchedOption("--modes") ? "--processes measures Flowpay hops only:"
            + " leave --modes out" : fleet.problem();
    if (problem != null) {
      throw new ParameterException(spec.commandLine(), problem);
    }
    try {
      new FleetBench(fleet, settings(), concurrency, stripeLatencyMs, printer, spec.commandLine().getErr())
          .run(() -> embedded ? StandaloneRedis.embedded(startRedis(), redisPersist ? "appendfsync always"
              : "no persistence") : StandaloneRedis.external(externalRedis), out, redisPersist);
      return 0;
    } catch (FlowpayFailure failure) {
      spec.commandLine().getErr().println("flowpay: " + failure.getMessage());
      return 1;
    } finally {
      deletePersistDir();
    }
  }

  /** The append-only files of {@code --redis-persist} are of no use after the run. */
  private void deletePersistDir() {
    if (persistDir == null) {
      return;
    }
    try (var files = Files.walk(persistDir)) {
      files.sorted(Collections.reverseOrder()).forEach(file -> file.toFile().delete());
    } catch (IOException e) {
      spec.commandLine().getErr().println("flowpay: could not delete " + persistDir + ": " + e.getMessage());
    }
  }

  private EmbeddedRedis startRedis() {
    if (!redisPersist) {
      return EmbeddedRedis.start();
    }
    try {
      persistDir = Files.createTempDirectory("flowpay-bench-redis");
      return EmbeddedRedis.persistent(persistDir);
    } catch (IOException e) {
      throw new FlowpayFailure(FlowpayFailure.Kind.CONFIG_INVALID, "cannot create a folder for the persistent Redis: "
          + e.getMessage());
    }
  }

  private Bench.Settings settings() {
    int r = rounds != null ? rounds : quick ? 1 : 3;
    double s = seconds != null ? seconds : quick ? 3 : 10;
    double w = warmup != null ? warmup : quick ? 2 : 30;
    return new Bench.Settings(r, (long) (s * 1000), (long) (w * 1000));
  }

  private void validate() {
    if (rounds != null && rounds < 1) {
      throw new ParameterException(spec.commandLine(), "--rounds must be at least 1");
    }
    if ((seconds != null && seconds <= 0) || (warmup != null && warmup < 0) || (soak != null && soak < 1)) {
      throw new ParameterException(spec.commandLine(), "--seconds and --soak must be positive, --warmup not negative");
    }
    if (stripeLatencyMs < 0 || stripeLatencyMs > 60_000) {
      throw new ParameterException(spec.commandLine(), "--stripe-latency-ms takes 0 to 60000 (Stripe answers in 200-500)");
    }
    if (concurrency.isEmpty() || concurrency.stream().anyMatch(n -> n < 1 || n > 10_000)) {
      throw new ParameterException(spec.commandLine(), "--concurrency takes numbers from 1 to 10000, e.g. 16,256");
    }
    for (String mode : modes) {
      if (!Modes.ALL.contains(mode)) {
        throw new ParameterException(spec.commandLine(), "unknown mode '" + mode + "' in --modes (known: "
            + String.join(", ", Modes.ALL) + ")");
      }
    }
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }
}
