package io.flowpay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.Main;
import io.flowpay.TestRedis;
import io.flowpay.queue.RedisKeys;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.flowpay.failure.FlowpayFailure;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flowpay bench --processes} in a tiny run, so that the mode cannot rot: two real serve processes
 * share the pool's leases, hops complete, and nothing of them is left once the command returned.
 */
@ExtendWith(TestRedis.Extension.class)
class BenchProcessesSmokeIT {

  private static final Pattern SPREAD = Pattern.compile(
      "bench: 2 serve process\\(es\\) share worker ids (\\S+)-\\{0\\.\\.3\\}; leases held by pid: \\{(\\d+)=(\\d+), (\\d+)=(\\d+)\\}");

  @Test
  void twoServeProcessesEachTakeLeasesCompleteHopsAndAreGoneWhenTheCommandReturns(TestRedis redis, @TempDir Path out)
      throws IOException {
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();

    int code = Main.execute(Map.of("REDIS_URL", redis.url()), new PrintWriter(stdout, true), new PrintWriter(stderr, true),
        "bench", "--processes", "2", "--worker-ids", "4", "--lease-ttl-ms", "3000", "--rounds", "1", "--seconds", "0.5",
        "--warmup", "0.5", "--concurrency", "4", "--out", out.toString());

    assertEquals(0, code, stdout + "\n" + stderr);
    List<String> csv = Files.readAllLines(out.resolve("fleet.csv"));
    assertEquals(2, csv.size(), "one row: " + csv);
    List<String> header = Arrays.asList(csv.get(0).split(","));
    String[] row = csv.get(1).split(",");
    assertEquals("flowpay-2p", row[0], csv.get(1));
    assertEquals("4", row[1], csv.get(1));
    assertTrue(Double.parseDouble(row[header.indexOf("ops_per_s_median")]) > 0, "no hop completed: " + csv.get(1));
    assertTrue(Double.parseDouble(row[header.indexOf("cpu_us_per_op_median")]) > 0, "serve CPU counted: " + csv.get(1));
    assertEquals("0", row[header.indexOf("errors")], "hops failed: " + csv.get(1) + "\n" + stderr);
    assertTrue(stdout.toString().contains("Redis per hop, 2 process(es) at 4 in flight"), stdout.toString());
    assertFalse(stdout.toString().contains("server context switches"), "REDIS_URL's server may be another machine's:"
        + " its context switches are not read\n" + stdout);

    Matcher spread = SPREAD.matcher(stderr.toString());
    assertTrue(spread.find(), "the bench says how the leases were spread before measuring:\n" + stderr);
    List<Long> pids = List.of(Long.parseLong(spread.group(2)), Long.parseLong(spread.group(4)));
    assertTrue(Integer.parseInt(spread.group(3)) > 0 && Integer.parseInt(spread.group(5)) > 0, spread.group());
    for (int child = 1; child <= 2; child++) {
      String log = Files.readString(out.resolve("fleet-logs").resolve("serve-2p-" + child + ".log"));
      assertTrue(log.contains("lease taken"), "serve process " + child + " took leases; its log:\n" + log);
    }

    for (long pid : pids) {
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "serve process " + pid + " left");
    }
    assertTrue(ProcessHandle.current().descendants().noneMatch(p -> p.info().commandLine().orElse("")
        .contains("io.flowpay.Main serve")), "no serve process is left under this JVM");
    assertEquals(List.of(), heldLeases(redis, spread.group(1)), "every lease was released");
    for (int child = 1; child <= 2; child++) {
      String log = Files.readString(out.resolve("fleet-logs").resolve("serve-2p-" + child + ".log"));
      assertTrue(log.contains("lease released"), "serve process " + child + " said, after SIGTERM, that it gave its"
          + " leases up (logging outlives the JVM's shutdown); its log:\n" + log);
    }
  }

  @Test
  void onARedisClusterServeProcessesCompleteHopsAndTheClusterIsGoneWhenTheCommandReturns(@TempDir Path out)
      throws IOException {
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();

    int code = Main.execute(Map.of(), new PrintWriter(stdout, true), new PrintWriter(stderr, true),
        "bench", "--processes", "2", "--redis", "cluster", "--worker-ids", "4", "--lease-ttl-ms", "3000",
        "--rounds", "1", "--seconds", "0.5", "--warmup", "0.5", "--concurrency", "4", "--out", out.toString());

    assertEquals(0, code, stdout + "\n" + stderr);
    assertTrue(stdout.toString().contains("Redis Cluster of 3 primaries (bundled redis-server, no persistence"),
        "without --redis-persist the nodes persist nothing, as the standalone Redis: " + stdout);
    assertTrue(stdout.toString().matches("(?s).*Redis per hop, 2 process\\(es\\) at 4 in flight .*server context"
        + " switches: waits for work \\d+\\.\\d\\d, preempted \\d+\\.\\d\\d.*"), "the nodes the bench started: their"
        + " context switches per hop\n" + stdout);
    List<String> csv = Files.readAllLines(out.resolve("fleet.csv"));
    List<String> header = Arrays.asList(csv.get(0).split(","));
    String[] row = csv.get(1).split(",");
    assertTrue(Double.parseDouble(row[header.indexOf("ops_per_s_median")]) > 0, "no hop completed: " + csv.get(1));
    assertEquals("0", row[header.indexOf("errors")], "hops failed: " + csv.get(1) + "\n" + stderr);
    assertTrue(ProcessHandle.current().descendants().noneMatch(p -> p.info().commandLine().orElse("")
        .contains("io.flowpay.Main serve")), "no serve process is left");
    assertTrue(ProcessHandle.current().descendants().noneMatch(p -> p.info().commandLine().orElse("")
        .contains(out.toString())), "no node of the cluster (its data under " + out + ") is left");
  }

  @Test
  void moreProcessesThanWorkerIdsIsAUsageErrorNamingBothOptions(@TempDir Path out) {
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();

    int code = Main.execute(Map.of(), new PrintWriter(stdout, true), new PrintWriter(stderr, true),
        "bench", "--processes", "3", "--worker-ids", "2", "--out", out.toString());

    assertEquals(2, code, stdout + "\n" + stderr);
    assertTrue(stderr.toString().contains("--processes [3] has more processes than --worker-ids 2"), stderr.toString());
  }

  @Test
  void aServeProcessThatCannotStartFailsTheBenchWithItsLastOutput(@TempDir Path dir) {
    Path missing = dir.resolve("no-such-config.json");

    ServeChild child = ServeChild.start(1, missing, "sk_test_flowpay_bench", dir.resolve("serve.log"));
    FlowpayFailure failure = assertThrows(FlowpayFailure.class, () -> child.awaitServing(120_000));

    assertTrue(failure.getMessage().contains("serve process 1 (pid " + child.pid() + ") exited before serving (exit"
        + " code 2); its last output:"), failure.getMessage());
    assertTrue(failure.getMessage().contains(missing + ": file not found: pass --config"), failure.getMessage());
    assertFalse(child.alive());
  }

  /**
   * The bench stopped by SIGTERM (as Ctrl-C stops it) while it measures: its shutdown hook stops the serve
   * processes, which release their leases; none outlives it.
   */
  @Test
  void benchStoppedBySigtermLeavesNoServeProcessAndNoLease(TestRedis redis, @TempDir Path out) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "io.flowpay.Main", "bench", "--processes", "1",
        "--worker-ids", "2", "--lease-ttl-ms", "3000", "--rounds", "1", "--seconds", "600", "--warmup", "0",
        "--concurrency", "2", "--out", out.toString()).redirectErrorStream(true);
    builder.environment().put("REDIS_URL", redis.url());
    Process bench = builder.start();
    try (BufferedReader output = new BufferedReader(new InputStreamReader(bench.getInputStream(),
        StandardCharsets.UTF_8))) {
      Pattern spread = Pattern.compile("share worker ids (\\S+)-\\{0\\.\\.1\\}; leases held by pid: \\{(\\d+)=2\\}");
      StringBuffer seen = new StringBuffer();
      Matcher serving = null;
      String line;
      while (serving == null && (line = output.readLine()) != null) {
        seen.append(line).append('\n');
        Matcher match = spread.matcher(line);
        serving = match.find() ? match : null;
      }
      assertTrue(serving != null, "the bench's serve process took both leases:\n" + seen);
      long child = Long.parseLong(serving.group(2));

      Thread rest = new Thread(() -> output.lines().forEach(more -> seen.append(more).append('\n')));
      rest.start();
      bench.toHandle().destroy(); // SIGTERM; Process.destroy would also close its output, which we read on
      assertTrue(bench.waitFor(120, TimeUnit.SECONDS), "the bench stops on SIGTERM");
      rest.join(10_000);

      assertFalse(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false), "serve process " + child + " left");
      assertEquals(List.of(), heldLeases(redis, serving.group(1), 2), "the serve process released its leases; the"
          + " bench's output:\n" + seen + "\nthe serve process's:\n" + Files.readString(out.resolve("fleet-logs")
          .resolve("serve-1p-1.log")));
    } finally {
      bench.destroyForcibly();
    }
  }

  /** The pool's worker ids ({@code prefix-0} to {@code prefix-3}) whose lease key is still in Redis. */
  private static List<String> heldLeases(TestRedis redis, String prefix) {
    return heldLeases(redis, prefix, 4);
  }

  /** The pool's worker ids ({@code prefix-0} to {@code prefix-<count - 1>}) whose lease key is still in Redis. */
  private static List<String> heldLeases(TestRedis redis, String prefix, int count) {
    Vertx vertx = Vertx.vertx();
    try {
      Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString(redis.url()));
      List<String> ids = java.util.stream.IntStream.range(0, count).mapToObj(i -> prefix + "-" + i).toList();
      return ids.stream().filter(id -> client.send(Request.cmd(Command.EXISTS).arg(RedisKeys.lease(id))).await()
          .toInteger() > 0).toList();
    } finally {
      vertx.close().await();
    }
  }
}
