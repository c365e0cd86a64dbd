package io.flowpay.worker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.TestRedis;
import io.flowpay.config.WorkerIds;
import io.flowpay.flow.Ids;
import io.flowpay.flow.Task;
import io.flowpay.queue.RedisTaskQueue;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real {@code flowpay serve} processes sharing worker ids through leases: one is killed with
 * {@code kill -9} (its ids are taken over within about the lease's TTL, nothing is lost, nothing runs
 * or is charged twice), one is frozen with SIGSTOP past its lease while it holds work and then
 * resumed (it commits nothing and stops serving the id; the new holder ran its work).
 */
@ExtendWith(TestRedis.Extension.class)
class FailoverIT {

  private static final int LEASE_TTL_MS = 4_000;

  @TempDir
  Path dir;

  @Test
  void killedProcessesWorkerIdsAreTakenOverAndEveryOrderRunsOnceAndIsChargedOnce(TestRedis redis) throws Exception {
    Path flows = dir.resolve("flows");
    PaymentChains.writeFlows(flows);
    Vertx vertx = Vertx.vertx();
    PaymentChains stripe = new PaymentChains(vertx, 20, 150);
    List<String> ids = WorkerIds.expand(List.of("fo-" + Ids.newId().substring(0, 6) + "-{0..7}"));
    Path config = writeConfig(redis, flows, stripe.baseUrl(), ids);
    Redis client = client(vertx, redis);
    RedisTaskQueue queue = new RedisTaskQueue(client);
    List<Serve> processes = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        processes.add(Serve.start(config, redis));
      }
      assertTrue(PaymentChains.await(vertx, 90_000, () -> processes.stream().allMatch(p -> held(client, ids, p) >= 2)
              && PaymentChains.leases(client, ids).values().stream().allMatch(token -> token != null)),
          "3 processes share the 8 ids: " + PaymentChains.leases(client, ids));
      List<Task> orders = PaymentChains.startOrders(queue, ids, 48);
      PaymentChains.await(vertx, 60_000, () -> stripe.requestCount() >= 30);

      Serve victim = processes.get(0);
      List<String> victimIds = heldIds(client, ids, victim);
      victim.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      long killed = System.nanoTime();
      assertTrue(PaymentChains.await(vertx, 60_000, () -> victimIds.stream().allMatch(id -> {
        String token = PaymentChains.leases(client, List.of(id)).get(id);
        return token != null && !token.contains("/" + victim.process.pid() + "/");
      })), "the killed process's ids are taken over: " + PaymentChains.leases(client, ids));
      long takeoverMs = (System.nanoTime() - killed) / 1_000_000;
      PaymentChains.settle(vertx, queue, orders);
      long settledMs = (System.nanoTime() - killed) / 1_000_000;

      stripe.assertEveryOrderRanOnceAndChargedOnce(queue, orders);
      System.out.printf("failover: 3 processes, 8 worker ids, lease TTL %d ms: kill -9 of a process holding %s;"
              + " its ids taken over by the others %d ms after the kill; all %d orders settled %d ms after it, each"
              + " run once and charged once; %d Stripe requests for %d idempotency keys%n", LEASE_TTL_MS, victimIds,
          takeoverMs, orders.size(), settledMs, stripe.requestCount(), stripe.requests.size());
    } finally {
      processes.forEach(Serve::kill);
      stripe.close();
      vertx.close().await();
    }
  }

  @Test
  void frozenHolderCommitsNothingOnceResumedAndStopsServing(TestRedis redis) throws Exception {
    Path flows = dir.resolve("flows");
    PaymentChains.writeFlows(flows);
    Vertx vertx = Vertx.vertx();
    PaymentChains stripe = new PaymentChains(vertx, 50, 200);
    String worker = "fz-" + Ids.newId().substring(0, 8);
    List<String> ids = List.of(worker);
    Path config = writeConfig(redis, flows, stripe.baseUrl(), ids);
    Redis client = client(vertx, redis);
    RedisTaskQueue queue = new RedisTaskQueue(client);
    Serve frozen = null;
    Serve standby = null;
    try {
      frozen = Serve.start(config, redis);
      Serve holder = frozen;
      assertTrue(PaymentChains.await(vertx, 60_000, () -> held(client, ids, holder) == 1), "the first holds the lease");
      standby = Serve.start(config, redis);
      List<Task> orders = PaymentChains.startOrders(queue, ids, 24);
      PaymentChains.await(vertx, 60_000, () -> stripe.requestCount() >= 10);

      // Freeze it while a call of it is at Stripe: the answer reaches a stopped process.
      Promise<Void> gate = Promise.promise();
      String inFlightKey = stripe.holdNextAnswer(gate).get(60, TimeUnit.SECONDS);
      signal("STOP", frozen.process);
      long stoppedAt = System.nanoTime();
      vertx.runOnContext(open -> gate.complete());
      Serve next = standby;
      assertTrue(PaymentChains.await(vertx, 60_000, () -> held(client, ids, next) == 1),
          "the standby takes the lease of the frozen process");
      long takeoverMs = (System.nanoTime() - stoppedAt) / 1_000_000;

      signal("CONT", frozen.process);
      assertTrue(PaymentChains.await(vertx, 60_000, () -> holder.saw("lost its lease")),
          "the resumed process says it lost the lease; its output:\n" + String.join("\n", frozen.lines));
      PaymentChains.settle(vertx, queue, orders);

      stripe.assertEveryOrderRanOnceAndChargedOnce(queue, orders);
      assertTrue(stripe.requests.entrySet().stream().anyMatch(seen -> seen.getKey().endsWith("|" + inFlightKey)
          && seen.getValue().get() >= 2), "the call in flight at the freeze was re-sent by the new holder, same key");
      assertFalse(holder.saw("Exception in thread"), "no crash in the resumed process");
      assertTrue(frozen.process.isAlive(), "the resumed process runs on, serving nothing");
      System.out.printf("fencing: a holder frozen (SIGSTOP) with a call in flight; the standby took the lease %d ms"
              + " later (lease TTL %d ms); resumed, it said it lost the lease and committed nothing; %d orders each"
              + " run once and charged once%n", takeoverMs, LEASE_TTL_MS, orders.size());
    } finally {
      if (frozen != null) {
        signal("CONT", frozen.process);
        frozen.kill();
      }
      if (standby != null) {
        standby.kill();
      }
      stripe.close();
      vertx.close().await();
    }
  }

  private static long held(Redis client, List<String> ids, Serve serve) {
    return heldIds(client, ids, serve).size();
  }

  private static List<String> heldIds(Redis client, List<String> ids, Serve serve) {
    String mark = "/" + serve.process.pid() + "/";
    return PaymentChains.leases(client, ids).entrySet().stream()
        .filter(lease -> lease.getValue() != null && lease.getValue().contains(mark)).map(Map.Entry::getKey).toList();
  }


  private static void signal(String signal, Process process) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start().waitFor(10,
        TimeUnit.SECONDS);
  }

  private static Redis client(Vertx vertx, TestRedis redis) {
    return Redis.createClient(vertx, new RedisOptions().setConnectionString(redis.url())
        .setPreferredProtocolVersion(ProtocolVersion.RESP2));
  }

  private Path writeConfig(TestRedis redis, Path flows, String stripeBase, List<String> ids) throws IOException {
    JsonObject config = new JsonObject()
        .put("redis", new JsonObject().put("url", redis.url()))
        .put("workers", new JsonArray(ids))
        .put("flowsDir", flows.toString())
        .put("stripe", new JsonObject().put("apiBase", stripeBase).put("timeoutMs", 5_000))
        .put("worker", new JsonObject().put("leaseTtlMs", LEASE_TTL_MS).put("disableAfterFailures", 0));
    return Files.writeString(dir.resolve("flowpay-" + Ids.newId().substring(0, 6) + ".json"), config.encode());
  }

  /** A {@code flowpay serve} child JVM, and what it printed. */
  private record Serve(Process process, Queue<String> lines) {

    static Serve start(Path config, TestRedis redis) throws IOException {
      Path jar = Path.of("target", "flowpay.jar");
      List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
          "-cp", Files.exists(jar) ? jar.toString() : System.getProperty("java.class.path"), "io.flowpay.Main", "serve",
          "--config", config.toString(), "--status-every", "0");
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().put("STRIPE_SECRET_KEY", "sk_test_failover");
      builder.environment().put("REDIS_URL", redis.url());
      Process process = builder.start();
      Queue<String> lines = new ConcurrentLinkedQueue<>();
      CompletableFuture<Void> serving = new CompletableFuture<>();
      Files.createDirectories(Path.of("target", "failover-logs"));
      java.io.PrintStream log = new java.io.PrintStream(Files.newOutputStream(
          Path.of("target", "failover-logs", "serve-" + process.pid() + ".log")), true, StandardCharsets.UTF_8);
      Thread pump = new Thread(() -> {
        try (log; BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8))) {
          for (String line = out.readLine(); line != null; line = out.readLine()) {
            lines.add(line);
            log.println(line);
            if (line.startsWith("flowpay: serving")) {
              serving.complete(null);
            }
          }
        } catch (IOException closed) {
          // the process was killed
        }
        serving.completeExceptionally(new AssertionError("flowpay serve exited before serving:\n"
            + String.join("\n", lines)));
      }, "failover-child-output");
      pump.setDaemon(true);
      pump.start();
      serving.orTimeout(90, TimeUnit.SECONDS).join();
      return new Serve(process, lines);
    }

    boolean saw(String text) {
      return lines.stream().anyMatch(line -> line.contains(text));
    }

    void kill() {
      try {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
