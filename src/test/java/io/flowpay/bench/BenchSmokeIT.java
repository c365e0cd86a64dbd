package io.flowpay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.Main;
import io.flowpay.TestRedis;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code flowpay bench} in a tiny mode, so that the command cannot rot: every mode, two concurrencies. */
@ExtendWith(TestRedis.Extension.class)
class BenchSmokeIT {

  @Test
  void benchWritesARowWithCompletedOperationsForEveryModeAndConcurrency(TestRedis redis, @TempDir Path out)
      throws IOException {
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();

    int code = Main.execute(Map.of("REDIS_URL", redis.url()), new PrintWriter(stdout, true), new PrintWriter(stderr, true),
        "bench", "--rounds", "1", "--seconds", "0.3", "--warmup", "0.2", "--concurrency", "2,4", "--out", out.toString());

    assertEquals(0, code, stdout + "\n" + stderr);
    List<String> csv = Files.readAllLines(out.resolve("bench.csv"));
    List<String> header = Arrays.asList(csv.get(0).split(","));
    int ops = header.indexOf("ops_per_s_median");
    int errors = header.indexOf("errors");
    int cpu = header.indexOf("cpu_us_per_op_median");
    int jit = header.indexOf("jit_cpu_us_per_op_median");
    Set<String> rows = csv.subList(1, csv.size()).stream().map(line -> line.split(",")).peek(cells -> {
      assertTrue(Double.parseDouble(cells[ops]) > 0, "no operation completed: " + String.join(",", cells));
      // The JIT's part of the CPU: read from /proc on Linux (the machines this runs on), part of the whole.
      assertTrue(Double.parseDouble(cells[jit]) <= Double.parseDouble(cells[cpu]),
          "JIT within CPU: " + String.join(",", cells));
      assertEquals("0", cells[errors], "operations failed: " + String.join(",", cells) + "\n" + stderr);
    }).map(cells -> cells[0] + "@" + cells[1]).collect(Collectors.toSet());
    assertEquals(Set.of("flowpay@2", "flowpay@4", "floor@2", "floor@4", "ceiling@2", "ceiling@4", "stripe-java@2",
        "stripe-java@4"), rows);
    assertEquals(csv.size() - 1, rows.size(), "one row per mode and concurrency: " + csv);
    String markdown = Files.readString(out.resolve("bench.md"));
    assertTrue(markdown.contains("| flowpay | 4 |") && markdown.contains("Targets (reported, not asserted)")
        && markdown.contains("at 4 in flight: CPU per hop (JVM + Redis)")
        && markdown.contains("at 4 in flight against the durable floor: CPU per hop"), markdown);
    assertTrue(markdown.contains("Redis per operation, floor at 4 in flight"), markdown);
    assertTrue(stdout.toString().contains("stripe-java"), stdout.toString());
  }

  /** Also with --reuse-globals, so that the floor and the ceiling work with a global reused per script thread. */
  @Test
  void aStandInWithStripesLatencyMakesEveryModeWaitForIt(TestRedis redis, @TempDir Path out) throws IOException {
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();

    int code = Main.execute(Map.of("REDIS_URL", redis.url()), new PrintWriter(stdout, true), new PrintWriter(stderr, true),
        "bench", "--stripe-latency-ms", "100", "--reuse-globals", "--rounds", "1", "--seconds", "0.5", "--warmup", "0.2",
        "--concurrency", "3", "--out", out.toString());

    assertEquals(0, code, stdout + "\n" + stderr);
    List<String> csv = Files.readAllLines(out.resolve("bench.csv"));
    List<String> header = Arrays.asList(csv.get(0).split(","));
    int p50 = header.indexOf("p50_ms_median");
    assertEquals(Modes.ALL.size(), csv.size() - 1, String.join("\n", csv));
    for (String line : csv.subList(1, csv.size())) {
      assertTrue(Double.parseDouble(line.split(",")[p50]) >= 100, "an operation took less than the stand-in's 100 ms: " + line);
    }
    assertTrue(stdout.toString().contains("answered after 100 ms"), stdout.toString());
    assertTrue(stdout.toString().contains("floor and ceiling: one Nashorn global reused per script thread"), stdout.toString());
    assertTrue(stdout.toString().contains("at 3 in flight and 100 ms per Stripe call: "), stdout.toString());
  }

  /** --redis-persist measures against an embedded Redis that writes every change to disk before it answers. */
  @Test
  void redisPersistRunsAgainstAnAppendOnlyRedis(@TempDir Path out) throws IOException {
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();

    int code = Main.execute(Map.of(), new PrintWriter(stdout, true), new PrintWriter(stderr, true),
        "bench", "--redis-persist", "--modes", "flowpay", "--rounds", "1", "--seconds", "0.3", "--warmup", "0.2",
        "--concurrency", "2", "--out", out.toString());

    assertEquals(0, code, stdout + "\n" + stderr);
    assertTrue(stdout.toString().contains("Redis embedded, appendfsync always"), stdout.toString());
    List<String> csv = Files.readAllLines(out.resolve("bench.csv"));
    assertEquals(2, csv.size(), String.join("\n", csv));
    assertTrue(csv.get(1).startsWith("flowpay,2,1,") && csv.get(1).endsWith(",0"), "no errors: " + csv.get(1));
  }

  @Test
  void redisPersistWithRedisUrlSaysToConfigureThatServer(TestRedis redis, @TempDir Path out) {
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();

    int code = Main.execute(Map.of("REDIS_URL", redis.url()), new PrintWriter(stdout, true), new PrintWriter(stderr, true),
        "bench", "--redis-persist", "--quick", "--out", out.toString());

    assertEquals(2, code, stdout + "\n" + stderr);
    assertTrue(stderr.toString().contains("appendfsync always on your own server"), stderr.toString());
  }
}
