package io.flowpay.worker;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.flowpay.FlowpayHarness.fixture;
import static io.flowpay.FlowpayHarness.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.flowpay.FlowpayHarness;
import io.flowpay.TestRedis;
import io.flowpay.config.WorkerOptions;
import io.flowpay.flow.Caller;
import io.flowpay.flow.Ids;
import io.flowpay.flow.Task;
import io.flowpay.queue.ChainStatus;
import io.flowpay.queue.DeadLetter;
import io.flowpay.queue.RedisKeys;
import io.flowpay.queue.RedisTaskQueue;
import io.flowpay.standin.EmbeddedRedis;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stripe's answer to a call committed by this process goes straight to its context's lane, held in
 * memory, and its response run's commit takes the call out of the outbox: no task on the stream. The
 * outbox entry is what makes the answer recoverable until then. These tests break that window: a
 * process killed between answers and their commits, a response that must be parked, Redis gone while
 * answers sit in lanes.
 */
@ExtendWith(TestRedis.Extension.class)
class HeldAnswerIT {

  private static final long SEED = Long.getLong("flowpay.crashSeed", System.nanoTime());
  private static final int SEEDS = 3;
  private static final int CHAINS = 15;
  private static final int KILLS = 3;
  /** Response flows spend this long (CPU) before they commit, so that a kill soon after an answer lands before it. */
  private static final String BUSY = "var t0 = Date.now(); while (Date.now() - t0 < 15) {}";

  @TempDir
  Path dir;

  @Test
  void answerIsNotPutOnTheStreamWhenItsRunCommitsIt(TestRedis redis, @TempDir Path flows) {
    write(flows, "pay", "stripe.paymentIntents.create({amount: input.amount, currency: 'eur'});");
    write(flows, "new_create_payment_intent_response", "ctx.set('pi', response.id);");
    try (FlowpayHarness flowpay = new FlowpayHarness(redis, flows)) {
      flowpay.stripe.stubFor(post(urlPathEqualTo("/v1/payment_intents")).willReturn(json(fixture("payment_intent"))));
      Task task = flowpay.start("pay", "ctx-" + Ids.newId(), new JsonObject().put("amount", 100));
      String started = lastAdded(flowpay);

      List<JsonObject> runs = flowpay.settle(task);

      assertEquals(List.of("pay", "new_create_payment_intent_response"), field(runs, "flow"));
      assertEquals(fixture("payment_intent").getString("id"), flowpay.state(task.contextId()).getString("pi"));
      assertEquals(started, lastAdded(flowpay), "nothing was added to the worker's stream after the chain's start");
      assertEquals(0, flowpay.send(Request.cmd(Command.HLEN).arg(RedisKeys.outbox(flowpay.worker))).toInteger(),
          "the response run's commit took the call out of the outbox");
    }
  }

  /**
   * kill -9 soon after Stripe answered, at random points, several seeds: answers held in memory die
   * with the process; their calls are still in the outbox, are re-sent with their keys, and Stripe's
   * replayed answers run the response flows. Every chain settles, each response flow runs once, one
   * idempotency key per logical call.
   */
  @Test
  void killBetweenAnswerAndItsCommitLosesNothingAndChargesOnce(TestRedis redis) throws Exception {
    Path flows = dir.resolve("flows");
    write(flows, "pay", "stripe.paymentIntents.create({amount: input.amount, currency: 'eur'});");
    write(flows, "new_create_payment_intent_response", BUSY + " ctx.set('created', (ctx.get('created') || 0) + 1);"
        + " stripe.paymentIntents.confirm(response.id, {payment_method: 'pm_card_visa'});");
    write(flows, "new_confirm_payment_intent_response", BUSY
        + " ctx.set('confirmed', (ctx.get('confirmed') || 0) + 1);");
    Vertx vertx = Vertx.vertx();
    Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString(redis.url())
        .setPreferredProtocolVersion(ProtocolVersion.RESP2));
    RedisTaskQueue queue = new RedisTaskQueue(client, 0, new io.flowpay.config.RedisOptions().chainRetentionSeconds());
    WireMockServer stripe = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
    stripe.start();
    stripe.stubFor(post(urlPathEqualTo("/v1/payment_intents")).willReturn(json(fixture("payment_intent"))));
    stripe.stubFor(post(urlPathMatching("/v1/payment_intents/[^/]+/confirm"))
        .willReturn(json(fixture("payment_intent").put("status", "succeeded"))));
    Process child = null;
    try {
      for (int round = 0; round < SEEDS; round++) {
        long seed = SEED + round;
        Random random = new Random(seed);
        stripe.resetRequests();
        String worker = "w-held-" + Ids.newId().substring(0, 8);
        Path config = writeConfig(redis, flows, worker, stripe.baseUrl());
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < CHAINS; i++) {
          Task task = Task.main("pay", worker, "ctx-" + Ids.newId(), Caller.CLI, new JsonObject().put("amount", 100 + i));
          queue.start(task).await();
          tasks.add(task);
        }
        List<String> killedAt = new ArrayList<>();
        for (int kill = 1; kill <= KILLS; kill++) {
          child = KilledServe.serve(config, redis, "sk_test_held_answers");
          int answers = stripe.getAllServeEvents().size() + 1 + random.nextInt(CHAINS / KILLS);
          int delayMs = random.nextInt(20);
          awaitStripeRequests(vertx, stripe, answers, () -> allSettled(queue, tasks));
          vertx.timer(Math.max(1, delayMs)).await();
          killedAt.add(answers + " answers + " + delayMs + " ms");
          KilledServe.kill(child);
        }
        child = KilledServe.serve(config, redis, "sk_test_held_answers");
        for (Task task : tasks) {
          List<JsonObject> runs = KilledServe.settle(vertx, redis, queue, task);
          assertEquals(List.of("pay", "new_create_payment_intent_response", "new_confirm_payment_intent_response"),
              field(runs, "flow"), "runs of chain " + task.chainId() + " (seed " + seed + ")");
          assertEquals(new JsonObject().put("created", 1).put("confirmed", 1), queue.contextState(task.contextId())
              .await(), "context of chain " + task.chainId() + " (seed " + seed + ")");
        }
        Map<String, Integer> perKey = new HashMap<>();
        for (ServeEvent event : stripe.getAllServeEvents()) {
          perKey.merge(event.getRequest().getHeader("Idempotency-Key"), 1, Integer::sum);
        }
        assertEquals(2 * CHAINS, perKey.size(), "one idempotency key per logical call (seed " + seed + ")");
        System.out.printf("held answers, kill -9 (seed %d): %d chains, kills at %s, %d Stripe requests for %d calls,"
            + " 0 lost, one response run per call%n", seed, CHAINS, killedAt, stripe.getAllServeEvents().size(),
            perKey.size());
        KilledServe.kill(child);
        child = null;
      }
    } finally {
      KilledServe.kill(child);
      client.close();
      vertx.close().await();
      stripe.stop();
    }
  }

  /**
   * The response flow is disabled when Stripe's answer comes: the answer held in memory cannot be
   * committed, so it is stored as a task and parked with its answer; once the flow is enabled, dead
   * retry runs it with Stripe's answer as it came, and Stripe is not asked again.
   */
  @Test
  void parkedResponseKeepsItsAnswerAndDeadRetryRunsIt(TestRedis redis, @TempDir Path flows) {
    write(flows, "pay", "stripe.paymentIntents.create({amount: input.amount, currency: 'eur'});");
    write(flows, "new_create_payment_intent_response", "ctx.set('pi', response.id); ctx.set('amount', response.amount);");
    JsonObject intent = fixture("payment_intent").put("id", "pi_held_" + Ids.newId().substring(0, 8)).put("amount", 4242);
    try (FlowpayHarness flowpay = new FlowpayHarness(redis, flows)) {
      flowpay.stripe.stubFor(post(urlPathEqualTo("/v1/payment_intents")).willReturn(json(intent)));
      flowpay.send(Request.cmd(Command.HSET).arg(RedisKeys.flow(flowpay.worker, "new_create_payment_intent_response"))
          .arg("disabled_at").arg(System.currentTimeMillis()).arg("last_error").arg("disabled by the test"));
      String context = "ctx-" + Ids.newId();
      Task task = flowpay.start("pay", context, new JsonObject().put("amount", 4242));

      List<JsonObject> parked = flowpay.settle(task);

      assertEquals(List.of("pay:ok", "new_create_payment_intent_response:dead"),
          parked.stream().map(run -> run.getString("flow") + ":" + run.getString("status")).toList());
      List<DeadLetter> dead = flowpay.queue.deadLetters(flowpay.worker, "-", 10).await();
      assertEquals(1, dead.size());
      assertEquals("flow_disabled", dead.get(0).reason());
      assertEquals("new_create_payment_intent_response", dead.get(0).task().flow());
      assertEquals(0, flowpay.send(Request.cmd(Command.HLEN).arg(RedisKeys.outbox(flowpay.worker))).toInteger(),
          "the stored answer took the call out of the outbox");

      assertTrue(flowpay.queue.enableFlow("new_create_payment_intent_response").await());
      assertTrue(flowpay.queue.retryDead(flowpay.worker, dead.get(0).id(), "test-operator").await());
      List<JsonObject> after = flowpay.settle(task);

      assertEquals("ok", after.get(after.size() - 1).getString("status"));
      assertEquals(new JsonObject().put("pi", intent.getString("id")).put("amount", 4242), flowpay.state(context));
      assertEquals(1, flowpay.stripe.findAll(postRequestedFor(urlPathEqualTo("/v1/payment_intents"))).size(),
          "Stripe was asked once: the retry ran the stored answer");
    }
  }

  /**
   * Redis stops (append-only file on) once Stripe has answered every call, while the slow response runs
   * hold those answers in their lanes; it comes back a second later. Every answer is committed once.
   */
  @Test
  void redisDownWhileAnswersSitInLanesLosesNothing(@TempDir Path flows, @TempDir Path data) {
    int chains = 20;
    write(flows, "pay", "stripe.paymentIntents.create({amount: input.amount, currency: 'eur'});");
    write(flows, "new_create_payment_intent_response", "var t0 = Date.now(); while (Date.now() - t0 < 50) {}"
        + " ctx.set('answers', (ctx.get('answers') || 0) + 1); ctx.set('pi', response.id);");
    try (EmbeddedRedis server = EmbeddedRedis.persistent(data);
        FlowpayHarness flowpay = new FlowpayHarness(new TestRedis(server.url()), flows)) {
      flowpay.stripe.stubFor(post(urlPathEqualTo("/v1/payment_intents")).willReturn(json(fixture("payment_intent"))));
      List<Task> tasks = new ArrayList<>();
      for (int i = 0; i < chains; i++) {
        tasks.add(flowpay.start("pay", "ctx-" + Ids.newId(), new JsonObject().put("amount", 100 + i)));
      }
      flowpay.awaitStripeRequests(chains);
      server.stop();
      flowpay.vertx.timer(1_000).await();
      server.launch();

      for (Task task : tasks) {
        assertEquals(List.of("pay:ok", "new_create_payment_intent_response:ok"), flowpay.settle(task).stream()
            .map(run -> run.getString("flow") + ":" + run.getString("status")).toList(), task.chainId());
        assertEquals(1, flowpay.state(task.contextId()).getInteger("answers"), "one response run per call");
      }
      var keys = flowpay.stripe.findAll(postRequestedFor(urlPathEqualTo("/v1/payment_intents"))).stream()
          .map(request -> request.getHeader("Idempotency-Key")).distinct().count();
      assertEquals(chains, keys, "one idempotency key per logical call");
    }
  }

  /**
   * A stop whose grace ({@code worker.shutdownGraceMs}) runs out while answers wait in their lanes stores
   * them before the lease is given up: the next start runs them from the stream, and Stripe is not asked
   * again (an answer dropped instead would leave its call in the outbox, to be re-sent).
   */
  @Test
  void stopWhoseGraceRunsOutStoresTheAnswersItHolds(TestRedis redis, @TempDir Path flows) {
    int chains = 12;
    write(flows, "pay", "stripe.paymentIntents.create({amount: input.amount, currency: 'eur'});");
    write(flows, "new_create_payment_intent_response", "var t0 = Date.now(); while (Date.now() - t0 < 150) {}"
        + " ctx.set('answers', (ctx.get('answers') || 0) + 1);");
    try (FlowpayHarness flowpay = new FlowpayHarness(redis, flows, null, options -> {
      WorkerOptions w = options.worker();
      return options.withWorker(new WorkerOptions(2, w.maxInFlight(), w.readBatch(), w.blockMs(), w.cpuBudgetMs(),
          w.maxDeliveries(), w.maxDepth(), w.disableAfterFailures(), w.claimIdleMs(), w.timerPollMs(), 200,
          w.scriptLimits(), w.leaseTtlMs()));
    })) {
      flowpay.stripe.stubFor(post(urlPathEqualTo("/v1/payment_intents")).willReturn(json(fixture("payment_intent"))));
      List<Task> tasks = new ArrayList<>();
      for (int i = 0; i < chains; i++) {
        tasks.add(flowpay.start("pay", "ctx-" + Ids.newId(), new JsonObject().put("amount", 100 + i)));
      }
      flowpay.awaitStripeRequests(chains);
      // 12 response runs of 150 ms on 2 script threads cannot all commit within the 200 ms grace.
      flowpay.stopNode();
      flowpay.startAgain();

      for (Task task : tasks) {
        assertEquals(List.of("pay:ok", "new_create_payment_intent_response:ok"), flowpay.settle(task).stream()
            .map(run -> run.getString("flow") + ":" + run.getString("status")).toList(), task.chainId());
        assertEquals(1, flowpay.state(task.contextId()).getInteger("answers"), "one response run per call");
      }
      assertEquals(chains, flowpay.stripe.findAll(postRequestedFor(urlPathEqualTo("/v1/payment_intents"))).size(),
          "every answer was committed or stored before the lease was given up: no call was re-sent");
    }
  }

  private static String lastAdded(FlowpayHarness flowpay) {
    var info = flowpay.send(Request.cmd(Command.XINFO).arg("STREAM").arg(flowpay.tasksKey()));
    return info.get("last-generated-id").toString();
  }

  private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(JsonObject body) {
    return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body.encode());
  }

  private static List<String> field(List<JsonObject> runs, String name) {
    return runs.stream().map(run -> String.valueOf(run.getValue(name))).toList();
  }

  private Path writeConfig(TestRedis redis, Path flows, String worker, String stripeBase) throws IOException {
    JsonObject config = new JsonObject()
        .put("redis", new JsonObject().put("url", redis.url()))
        .put("workers", new JsonArray().add(worker))
        .put("flowsDir", flows.toString())
        .put("stripe", new JsonObject().put("apiBase", stripeBase).put("timeoutMs", 5_000))
        .put("worker", new JsonObject().put("claimIdleMs", 1_000).put("disableAfterFailures", 0)
            .put("leaseTtlMs", 2_000));
    return Files.writeString(dir.resolve("flowpay-" + worker + ".json"), config.encode());
  }

  /** Waits until Stripe was asked {@code count} times, or every chain settled (no more requests come). */
  private static void awaitStripeRequests(Vertx vertx, WireMockServer stripe, int count, BooleanSupplier settled) {
    long deadline = System.currentTimeMillis() + 120_000;
    for (int polls = 1; stripe.getAllServeEvents().size() < count && System.currentTimeMillis() < deadline; polls++) {
      if (polls % 50 == 0 && settled.getAsBoolean()) {
        return;
      }
      vertx.timer(1).await();
    }
  }

  private static boolean allSettled(RedisTaskQueue queue, List<Task> tasks) {
    for (Task task : tasks) {
      ChainStatus status = queue.chain(task.chainId()).await();
      if (status == null || !status.settled()) {
        return false;
      }
    }
    return true;
  }
}
