package io.flowpay.worker;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.flowpay.FlowpayHarness.fixture;
import static io.flowpay.FlowpayHarness.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.flowpay.TestRedis;
import io.flowpay.flow.Caller;
import io.flowpay.flow.Ids;
import io.flowpay.flow.Task;
import io.flowpay.queue.ChainStatus;
import io.flowpay.queue.RedisKeys;
import io.flowpay.queue.RedisTaskQueue;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker is a real {@code flowpay serve} process that gets {@code kill -9} at random moments
 * while chains run (each chain: main → create → response → confirm → response), and is started
 * again. Every chain must settle, every response flow must run exactly once, and Stripe must see
 * exactly one idempotency key per logical call, however often a call was re-sent.
 */
@ExtendWith(TestRedis.Extension.class)
class CrashRecoveryIT {

  private static final int CHAINS = 60;
  private static final int KILLS = 4;
  private static final long SEED = Long.getLong("flowpay.crashSeed", System.nanoTime());

  @TempDir
  Path dir;

  @Test
  void killedWorkerProcessLosesNothingAndChargesNothingTwice(TestRedis redis) throws Exception {
    Random random = new Random(SEED);
    Path flows = dir.resolve("flows");
    writePayFlows(flows);
    WireMockServer stripe = payingStripe();
    String worker = "w-crash-" + Ids.newId().substring(0, 8);
    Path config = writeConfig(redis, flows, worker, stripe.baseUrl());
    Vertx vertx = Vertx.vertx();
    Redis client = client(vertx, redis);
    RedisTaskQueue queue = new RedisTaskQueue(client, 0, new io.flowpay.config.RedisOptions().chainRetentionSeconds());
    Process child = null;
    try {
      List<Task> tasks = startChains(queue, worker, CHAINS);
      // Kills are spread over the whole run: the k-th comes once Stripe has seen about k/(KILLS+1) of
      // all calls, give or take a few, so some land before a commit, some between commit and send,
      // some while calls are in flight and some between an answer and its enqueue.
      List<String> killedAt = new ArrayList<>();
      for (int kill = 1; kill <= KILLS; kill++) {
        child = KilledServe.serve(config, redis, "sk_test_crash_recovery");
        int target = kill * 2 * CHAINS / (KILLS + 1) + random.nextInt(11) - 5;
        awaitStripeRequests(vertx, stripe, target);
        killedAt.add(stripe.getAllServeEvents().size() + " requests/" + settledCount(queue, tasks) + " settled");
        KilledServe.kill(child);
      }
      long restarted = System.nanoTime();
      child = KilledServe.serve(config, redis, "sk_test_crash_recovery");
      Map<String, List<JsonObject>> runs = new HashMap<>();
      for (Task task : tasks) {
        runs.put(task.chainId(), KilledServe.settle(vertx, redis, queue, task));
      }
      long recoveredMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted);

      Map<String, Integer> perKey = keysSeen(stripe);
      for (Task task : tasks) {
        JsonObject state = queue.contextState(task.contextId()).await();
        assertEquals(new JsonObject().put("created", 1).put("confirmed", 1), state, "context of chain " + task.chainId() + " runs " + runs.get(task.chainId()));
        List<String> flowsRun = runs.get(task.chainId()).stream().map(run -> run.getString("flow")).toList();
        assertEquals(List.of("pay", "new_create_payment_intent_response", "new_confirm_payment_intent_response"),
            flowsRun, "runs of chain " + task.chainId());
      }
      assertEquals(2 * CHAINS, perKey.size(), "one idempotency key per logical call");
      int requests = perKey.values().stream().mapToInt(Integer::intValue).sum();
      System.out.printf("crash recovery (seed %d): %d chains, %d kills (at: %s), 0 lost,"
              + " %d Stripe requests for %d calls (%d re-sent with their first key), %d ms from the last restart to"
              + " every chain settled%n", SEED, CHAINS, KILLS, killedAt, requests, perKey.size(), requests - perKey.size(),
          recoveredMs);
    } finally {
      KilledServe.kill(child);
      client.close();
      vertx.close().await();
      stripe.stop();
    }
  }

  /**
   * A crash loop: the process is killed again and again shortly after it starts, while it claims
   * and starts runs, before most of them commit. Claims are not runs: nothing is parked, every
   * chain settles once the process stays up, one charge per order.
   */
  @Test
  void crashLoopParksNothingAndEveryChainSettlesWithOneCharge(TestRedis redis) throws Exception {
    Random random = new Random(SEED);
    Path flows = dir.resolve("flows");
    writePayFlows(flows);
    WireMockServer stripe = payingStripe();
    String worker = "w-loop-" + Ids.newId().substring(0, 8);
    Path config = writeConfig(redis, flows, worker, stripe.baseUrl(), new JsonObject().put("maxDeliveries", 3));
    Vertx vertx = Vertx.vertx();
    Redis client = client(vertx, redis);
    RedisTaskQueue queue = new RedisTaskQueue(client, 0, new io.flowpay.config.RedisOptions().chainRetentionSeconds());
    Process child = null;
    try {
      List<Task> tasks = startChains(queue, worker, CHAINS);
      List<Long> killedAfterMs = new ArrayList<>();
      for (int kill = 0; kill < 6; kill++) {
        child = KilledServe.serve(config, redis, "sk_test_crash_recovery");
        long after = random.nextInt(300);
        vertx.timer(Math.max(1, after)).await();
        KilledServe.kill(child);
        killedAfterMs.add(after);
      }
      long restarted = System.nanoTime();
      child = KilledServe.serve(config, redis, "sk_test_crash_recovery");
      for (Task task : tasks) {
        KilledServe.settle(vertx, redis, queue, task);
      }
      long recoveredMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted);

      assertEquals(List.of(), queue.deadLetters(worker, "-", 100).await(), "a crash loop parks nothing");
      for (Task task : tasks) {
        assertEquals(new JsonObject().put("created", 1).put("confirmed", 1), queue.contextState(task.contextId()).await());
      }
      assertEquals(2 * CHAINS, keysSeen(stripe).size(), "one idempotency key per logical call");
      System.out.printf("crash loop (seed %d): %d chains, 6 kills %s ms after serving, 0 dead letters, every chain"
          + " settled %d ms after the last start%n", SEED, CHAINS, killedAfterMs, recoveredMs);
    } finally {
      KilledServe.kill(child);
      client.close();
      vertx.close().await();
      stripe.stop();
    }
  }

  /**
   * A task whose run kills its process every time (here: the test kills the process whenever that run
   * is under way) is parked after worker.maxDeliveries runs that died alone; the process then stays
   * up, the other chains settle, and the poison chain is stuck, not settled.
   */
  @Test
  void taskWhoseRunKillsItsProcessEveryTimeIsParked(TestRedis redis) throws Exception {
    Path flows = dir.resolve("flows");
    write(flows, "spin", "while (true) {}");
    write(flows, "count", "ctx.set('runs', (ctx.get('runs') || 0) + 1);");
    String worker = "w-poison-" + Ids.newId().substring(0, 8);
    Path config = writeConfig(redis, flows, worker, "http://127.0.0.1:9",
        new JsonObject().put("maxDeliveries", 2).put("cpuBudgetMs", 60_000));
    Vertx vertx = Vertx.vertx();
    Redis client = client(vertx, redis);
    RedisTaskQueue queue = new RedisTaskQueue(client, 0, new io.flowpay.config.RedisOptions().chainRetentionSeconds());
    Process child = null;
    try {
      Task poison = Task.main("spin", worker, "ctx-" + Ids.newId(), Caller.CLI, null);
      queue.start(poison).await();
      // Handed out once already, to a process that died: every run of it is recorded from the first.
      String entry = client.send(Request.cmd(Command.XREADGROUP).arg("GROUP").arg(RedisKeys.GROUP).arg("gone")
          .arg("COUNT").arg(1).arg("STREAMS").arg(RedisKeys.tasks(worker)).arg(">")).await()
          .get(0).get(1).get(0).get(0).toString();
      List<Task> healthy = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        healthy.add(Task.main("count", worker, "ctx-" + Ids.newId(), Caller.CLI, null));
        queue.start(healthy.get(i)).await();
      }
      int kills = 0;
      long runs = 0;
      while (true) {
        child = KilledServe.serve(config, redis, "sk_test_crash_recovery");
        long seen = runs;
        boolean parked = awaitCondition(vertx, () -> runsStarted(client, worker, entry) > seen
            || !queue.deadLetters(worker, "-", 10).await().isEmpty());
        assertTrue(parked, "the poison task ran again or was parked");
        if (!queue.deadLetters(worker, "-", 10).await().isEmpty()) {
          break;
        }
        runs = runsStarted(client, worker, entry);
        KilledServe.kill(child);
        kills++;
        assertTrue(kills <= 6, "parked after a few deaths, not " + kills);
      }
      for (Task task : healthy) {
        KilledServe.settle(vertx, redis, queue, task);
        assertEquals(new JsonObject().put("runs", 1), queue.contextState(task.contextId()).await());
      }
      List<io.flowpay.queue.DeadLetter> dead = queue.deadLetters(worker, "-", 10).await();
      assertEquals(1, dead.size());
      assertEquals("deliveries", dead.get(0).reason());
      assertEquals(poison.taskId(), dead.get(0).task().taskId());
      assertEquals(Admission.SUSPECT_AFTER + 2, kills, "deaths beside other runs until it is a suspect, then"
          + " maxDeliveries (2) deaths alone");
      ChainStatus status = queue.chain(poison.chainId()).await();
      assertEquals("stuck", status.status());
      System.out.printf("poison task: parked after %d process deaths (2 alone), %d other chains settled%n", kills,
          healthy.size());
    } finally {
      KilledServe.kill(child);
      client.close();
      vertx.close().await();
    }
  }

  private static Redis client(Vertx vertx, TestRedis redis) {
    return Redis.createClient(vertx, new RedisOptions().setConnectionString(redis.url())
        .setPreferredProtocolVersion(ProtocolVersion.RESP2));
  }

  private static long runsStarted(Redis client, String worker, String entry) {
    Response runs = client.send(Request.cmd(Command.HGET).arg(RedisKeys.runsStarted(worker)).arg(entry)).await();
    return runs == null ? 0 : runs.toLong();
  }

  /** Polls (every 10 ms, up to 60 s) an observable condition; false when it never held. */
  private static boolean awaitCondition(Vertx vertx, java.util.function.BooleanSupplier condition) {
    long deadline = System.currentTimeMillis() + 60_000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        return false;
      }
      vertx.timer(10).await();
    }
    return true;
  }

  private static void writePayFlows(Path flows) {
    write(flows, "pay", "stripe.paymentIntents.create({amount: input.amount, currency: 'eur'});");
    write(flows, "new_create_payment_intent_response", "ctx.set('created', (ctx.get('created') || 0) + 1);"
        + " stripe.paymentIntents.confirm(response.id, {payment_method: 'pm_card_visa'});");
    write(flows, "new_confirm_payment_intent_response", "ctx.set('confirmed', (ctx.get('confirmed') || 0) + 1);");
  }

  private static WireMockServer payingStripe() {
    WireMockServer stripe = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
    stripe.start();
    stripe.stubFor(post(urlPathEqualTo("/v1/payment_intents")).willReturn(answer(fixture("payment_intent"))));
    stripe.stubFor(post(urlPathMatching("/v1/payment_intents/[^/]+/confirm"))
        .willReturn(answer(fixture("payment_intent").put("status", "succeeded"))));
    return stripe;
  }

  private static List<Task> startChains(RedisTaskQueue queue, String worker, int chains) {
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < chains; i++) {
      Task task = Task.main("pay", worker, "ctx-" + Ids.newId(), Caller.CLI, new JsonObject().put("amount", 1000 + i));
      queue.start(task).await();
      tasks.add(task);
    }
    return tasks;
  }

  private static Map<String, Integer> keysSeen(WireMockServer stripe) {
    Map<String, Integer> perKey = new HashMap<>();
    for (ServeEvent event : stripe.getAllServeEvents()) {
      perKey.merge(event.getRequest().getHeader("Idempotency-Key"), 1, Integer::sum);
    }
    return perKey;
  }

  private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder answer(JsonObject body) {
    return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
        .withUniformRandomDelay(5, 120).withBody(body.encode());
  }

  private Path writeConfig(TestRedis redis, Path flows, String worker, String stripeBase) throws IOException {
    return writeConfig(redis, flows, worker, stripeBase, new JsonObject());
  }

  private Path writeConfig(TestRedis redis, Path flows, String worker, String stripeBase, JsonObject workerOptions)
      throws IOException {
    JsonObject config = new JsonObject()
        .put("redis", new JsonObject().put("url", redis.url()))
        .put("workers", new JsonArray().add(worker))
        .put("flowsDir", flows.toString())
        .put("stripe", new JsonObject().put("apiBase", stripeBase).put("timeoutMs", 5_000))
        .put("worker", new JsonObject().put("claimIdleMs", 1_000).put("disableAfterFailures", 0)
            .put("leaseTtlMs", 2_000).mergeIn(workerOptions));
    return Files.writeString(dir.resolve("flowpay.json"), config.encode());
  }

  private static void awaitStripeRequests(Vertx vertx, WireMockServer stripe, int count) {
    long deadline = System.currentTimeMillis() + 120_000;
    while (stripe.getAllServeEvents().size() < count && System.currentTimeMillis() < deadline) {
      vertx.timer(2).await();
    }
  }

  private static int settledCount(RedisTaskQueue queue, List<Task> tasks) {
    int settled = 0;
    for (Task task : tasks) {
      ChainStatus status = queue.chain(task.chainId()).await();
      settled += status != null && status.settled() ? 1 : 0;
    }
    return settled;
  }
}
