package io.flowpay.worker;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.flowpay.FlowpayHarness.fixture;
import static io.flowpay.FlowpayHarness.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.FlowpayHarness;
import io.flowpay.TestRedis;
import io.flowpay.config.WorkerOptions;
import io.flowpay.flow.Ids;
import io.flowpay.flow.Task;
import io.flowpay.queue.ChainStatus;
import io.flowpay.queue.DeadLetter;
import io.flowpay.queue.RedisKeys;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a worker does with what went wrong before it: tasks a dead process held, tasks that keep
 * coming back, runaway chains, flows that keep failing, timers across a restart, and calls in
 * flight when it is told to stop.
 */
@ExtendWith(TestRedis.Extension.class)
class RecoveryIT {

  @Test
  void taskHeldByADeadProcessIsClaimedOnStartAndCommittedOnce(TestRedis redis, @TempDir Path flows) {
    write(flows, "count", "ctx.set('runs', (ctx.get('runs') || 0) + 1);");
    try (FlowpayHarness flowpay = new FlowpayHarness(redis, flows)) {
      flowpay.stopNode();
      String context = "ctx-" + Ids.newId();
      Task task = flowpay.start("count", context, null);
      String entry = flowpay.takeWithoutAcknowledging(0);

      flowpay.startAgain();
      List<JsonObject> runs = flowpay.settle(task);

      assertEquals(List.of("ok"), field(runs, "status"));
      assertEquals(new JsonObject().put("runs", 1), flowpay.state(context));
      assertEquals(0, pendingCount(flowpay), "entry " + entry + " is acknowledged");
    }
  }

  /** A claim is not a run: a task handed out again and again by processes that died before running it still runs. */
  @Test
  void claimsWithoutARunParkNothing(TestRedis redis, @TempDir Path flows) {
    write(flows, "count", "ctx.set('runs', (ctx.get('runs') || 0) + 1);");
    try (FlowpayHarness flowpay = new FlowpayHarness(redis, flows)) {
      flowpay.stopNode();
      String context = "ctx-" + Ids.newId();
      Task task = flowpay.start("count", context, null);
      flowpay.takeWithoutAcknowledging(WorkerOptions.DEFAULT_MAX_DELIVERIES + 3);

      flowpay.startAgain();

      assertEquals(List.of("ok"), field(flowpay.settle(task), "status"));
      assertEquals(new JsonObject().put("runs", 1), flowpay.state(context));
      assertEquals(List.of(), flowpay.queue.deadLetters(flowpay.worker, "-", 10).await());
      Request recorded = Request.cmd(Command.HLEN).arg(RedisKeys.runsStarted(flowpay.worker));
      long deadline = System.currentTimeMillis() + 10_000;
      while (flowpay.send(recorded).toInteger() > 0 && System.currentTimeMillis() < deadline) {
        flowpay.vertx.timer(10).await();  // forgotten right after the commit, by the worker
      }
      assertEquals(0, flowpay.send(recorded).toInteger(), "the recorded run is forgotten once committed");
    }
  }

  /**
   * A task whose run died with its process, alone on its worker, maxDeliveries times is parked (the
   * runs are recorded as a worker records them; PoisonTaskIT kills real processes), the chain is
   * stuck, and dead retry runs it again.
   */
  @Test
  void taskWhoseRunsDiedAloneIsParkedStuckAndDeadRetryRunsItAgain(TestRedis redis, @TempDir Path flows) {
    write(flows, "count", "ctx.set('runs', (ctx.get('runs') || 0) + 1);");
    try (FlowpayHarness flowpay = new FlowpayHarness(redis, flows)) {
      flowpay.stopNode();
      String context = "ctx-" + Ids.newId();
      Task task = flowpay.start("count", context, null);
      String entry = flowpay.takeWithoutAcknowledging(WorkerOptions.DEFAULT_MAX_DELIVERIES);
      flowpay.recordRunsThatDiedAlone(entry, WorkerOptions.DEFAULT_MAX_DELIVERIES);

      flowpay.startAgain();
      List<JsonObject> runs = flowpay.settle(task);

      assertEquals(List.of("dead"), field(runs, "status"));
      assertEquals("deliveries", runs.get(0).getJsonObject("error").getString("code"));
      assertEquals(new JsonObject(), flowpay.state(context), "a parked task changes nothing");
      ChainStatus chain = flowpay.queue.chain(task.chainId()).await();
      assertEquals("stuck", chain.status(), "a chain with a parked task is stuck, not settled");
      assertEquals(1, chain.dead());
      assertTrue(flowpay.queue.stuckChains().await() >= 1);
      assertTrue(awaitGauge(flowpay, "flowpay_chains_stuck", 1) >= 1, "the process's gauge counts the stuck chain");
      List<DeadLetter> dead = flowpay.queue.deadLetters(flowpay.worker, "-", 10).await();
      assertEquals(1, dead.size());
      DeadLetter letter = dead.get(0);
      assertEquals("deliveries", letter.reason());
      assertEquals(task.taskId(), letter.task().taskId());
      assertTrue(letter.error().contains("worker.maxDeliveries"), letter.error());

      assertTrue(flowpay.queue.retryDead(flowpay.worker, letter.id(), "test-operator").await());
      List<JsonObject> after = flowpay.settle(task);

      assertEquals(List.of("dead", "ok"), field(after, "status"));
      assertEquals("settled", flowpay.queue.chain(task.chainId()).await().status());
      assertEquals(new JsonObject().put("runs", 1), flowpay.state(context));
      assertEquals(List.of(), flowpay.queue.deadLetters(flowpay.worker, "-", 10).await());
      List<JsonObject> audit = flowpay.queue.deadAudit(flowpay.worker).await();
      assertEquals(1, audit.size());
      assertEquals("retry", audit.get(0).getString("action"));
      assertEquals("test-operator", audit.get(0).getString("by"));
      assertEquals(0, flowpay.queue.chain(task.chainId()).await().dead());
    }
  }

  @Test
  void chainPastMaxDepthIsParkedInsteadOfRun(TestRedis redis, @TempDir Path flows) {
    write(flows, "again", "ctx.set('depth', meta.depth); flow.dispatch('again', {});");
    try (FlowpayHarness flowpay = new FlowpayHarness(redis, flows, null, limits(5, 3, 3))) {
      String context = "ctx-" + Ids.newId();
      List<JsonObject> runs = flowpay.settle(flowpay.start("again", context, null));

      assertEquals(List.of("ok", "ok", "ok", "ok", "dead"), field(runs, "status"));
      assertEquals("depth", runs.get(4).getJsonObject("error").getString("code"));
      assertEquals(4, runs.get(4).getInteger("depth"));
      assertEquals(new JsonObject().put("depth", 3), flowpay.state(context));
      assertEquals("depth", flowpay.queue.deadLetters(flowpay.worker, "-", 10).await().get(0).reason());
      assertEquals("stuck", flowpay.queue.chain(runs.get(0).getString("chain_id")).await().status());
      String parked = "flowpay_dead_letters_total{reason=\"depth\",worker=\"" + flowpay.worker + "\"} 1.0";
      String metrics = awaitMetric(flowpay, parked);
      assertTrue(metrics.contains(parked), metrics);
      assertTrue(metrics.contains("flowpay_runs_total{flow=\"again\",status=\"ok\"} 4.0"), metrics);
    }
  }

  /** A flow's own throw on a bad input fails that run only: bad inputs cannot stop other callers' payments. */
  @Test
  void badInputsDoNotDisableAFlowForOtherCallers(TestRedis redis, @TempDir Path flows) {
    String flow = "orders_" + Ids.newId().substring(0, 8);
    write(flows, flow, "if (!input.order_id) { throw new Error('order_id missing'); }\n"
        + "ctx.set('order', input.order_id.toUpperCase());");
    try (FlowpayHarness flowpay = new FlowpayHarness(redis, flows, null, limits(5, 64, 3))) {
      for (int i = 0; i < 5; i++) {
        JsonObject bad = i % 2 == 0 ? new JsonObject() : new JsonObject().put("order_id", 42);
        assertEquals(List.of("failed"), field(flowpay.settle(flowpay.start(flow, "ctx-" + Ids.newId(), bad)), "status"));
      }
      String context = "ctx-" + Ids.newId();
      List<JsonObject> good = flowpay.settle(flowpay.start(flow, context, new JsonObject().put("order_id", "o-1")));

      assertEquals(List.of("ok"), field(good, "status"));
      assertEquals(new JsonObject().put("order", "O-1"), flowpay.state(context));
      Map<String, String> state = flowpay.queue.flowState(flow).await();
      assertNull(state.get("disabled_at"), state.toString());
    }
  }

  /**
   * A flow that cannot run at all (a syntax error) is disabled after disableAfterFailures runs; its
   * tasks wait in the dead-letter stream (the chain stuck) and run once the flow is fixed and enabled.
   */
  @Test
  void flowThatCannotRunIsDisabledAndItsTasksRunWhenItIsFixedAndEnabled(TestRedis redis, @TempDir Path flows) {
    String flow = "broken_" + Ids.newId().substring(0, 8);
    write(flows, flow, "ctx.set('ok', true;");
    try (FlowpayHarness flowpay = new FlowpayHarness(redis, flows, null, limits(5, 64, 3))) {
      for (int i = 0; i < 3; i++) {
        assertEquals(List.of("failed"), field(flowpay.settle(flowpay.start(flow, "ctx-" + Ids.newId(), null)), "status"));
      }
      String context = "ctx-" + Ids.newId();
      Task waiting = flowpay.start(flow, context, null);
      List<JsonObject> parked = flowpay.settle(waiting);

      assertEquals(List.of("dead"), field(parked, "status"));
      JsonObject error = parked.get(0).getJsonObject("error");
      assertEquals("flow_disabled", error.getString("code"));
      assertTrue(error.getString("message").contains("flowpay flow enable " + flow), error.getString("message"));
      assertEquals("stuck", flowpay.queue.chain(waiting.chainId()).await().status());
      assertNotNull(flowpay.queue.flowState(flow).await().get("disabled_at"));

      write(flows, flow, "ctx.set('ok', true);");
      assertTrue(flowpay.queue.enableFlow(flow).await());
      assertEquals(1, flowpay.queue.retryParkedWhileDisabled(flowpay.worker, flow, "test-operator").await());

      assertEquals(List.of("dead", "ok"), field(flowpay.settle(waiting), "status"));
      assertEquals(new JsonObject().put("ok", true), flowpay.state(context));
      assertEquals("settled", flowpay.queue.chain(waiting.chainId()).await().status());
    }
  }

  @Test
  void flowAfterRunsWhenDueAndSurvivesARestart(TestRedis redis, @TempDir Path flows) {
    write(flows, "remind", "flow.after(1500, 'later', {n: 7});");
    write(flows, "later", "ctx.set('n', input.n);");
    try (FlowpayHarness flowpay = new FlowpayHarness(redis, flows)) {
      String context = "ctx-" + Ids.newId();
      Task task = flowpay.start("remind", context, null);
      JsonObject first = flowpay.awaitRuns(task.chainId(), 1).get(0);
      assertEquals(1, first.getJsonArray("timers").size());
      assertEquals("running", flowpay.queue.chain(task.chainId()).await().status(), "a pending timer keeps the chain open");

      flowpay.restart();
      List<JsonObject> runs = flowpay.settle(task);

      assertEquals(List.of("remind", "later"), field(runs, "flow"));
      assertEquals("timer", runs.get(1).getString("caller_id"));
      long waited = runs.get(1).getLong("started_at") - runs.get(0).getLong("started_at");
      assertTrue(waited >= 1_500, "the delayed flow ran " + waited + " ms after the first");
      assertEquals(new JsonObject().put("n", 7), flowpay.state(context));
    }
  }

  @Test
  void stopWaitsForCallsInFlightAndStoresTheirAnswers(TestRedis redis, @TempDir Path flows) {
    writePayFlows(flows);
    try (FlowpayHarness flowpay = new FlowpayHarness(redis, flows)) {
      Task task = stopWhileACallIsInFlight(flowpay, 1_000);

      assertEquals(0, flowpay.send(Request.cmd(Command.HLEN).arg(RedisKeys.outbox(flowpay.worker))).toInteger(),
          "the answer came back before the stop ended");
      Response queued = flowpay.send(Request.cmd(Command.XRANGE).arg(flowpay.tasksKey()).arg("-").arg("+"));
      assertEquals(1, queued.size());
      assertTrue(queued.get(0).get(1).get(1).toString().contains("new_create_payment_intent_response"));

      flowpay.startAgain();
      assertEquals(List.of("pay", "new_create_payment_intent_response"), field(flowpay.settle(task), "flow"));
      flowpay.stripe.verify(1, postRequestedFor(urlPathEqualTo("/v1/payment_intents")));
    }
  }

  @Test
  void callStillInFlightAfterTheGracePeriodIsResentWithItsKeyOnStart(TestRedis redis, @TempDir Path flows) {
    writePayFlows(flows);
    UnaryOperator<io.flowpay.config.FlowpayOptions> shortGrace = options -> options.withWorker(
        new io.flowpay.config.WorkerOptions(2, 64, 16, 200, 200, 5, 64, 3, 60_000, 50, 100));
    try (FlowpayHarness flowpay = new FlowpayHarness(redis, flows, null, shortGrace)) {
      Task task = stopWhileACallIsInFlight(flowpay, 1_500);
      assertEquals(1, flowpay.send(Request.cmd(Command.HLEN).arg(RedisKeys.outbox(flowpay.worker))).toInteger(),
          "the unanswered call stays in the outbox");

      flowpay.startAgain();
      List<JsonObject> runs = flowpay.settle(task);

      assertEquals(List.of("pay", "new_create_payment_intent_response"), field(runs, "flow"));
      assertEquals(new JsonObject().put("responses", 1), flowpay.state(task.contextId()));
      var requests = flowpay.stripe.findAll(postRequestedFor(urlPathEqualTo("/v1/payment_intents")));
      assertEquals(2, requests.size(), "sent, then re-sent on start");
      assertEquals(1, requests.stream().map(r -> r.getHeader("Idempotency-Key")).distinct().count());
    }
  }

  @Test
  void runawayFlowTimesOutCommitsNothingAndTheWorkerGoesOn(TestRedis redis, @TempDir Path flows) {
    write(flows, "spin", "ctx.set('before', true);\nwhile (true) {}\n");
    write(flows, "count", "ctx.set('runs', (ctx.get('runs') || 0) + 1);");
    try (FlowpayHarness flowpay = new FlowpayHarness(redis, flows)) {
      String context = "ctx-" + Ids.newId();
      JsonObject spun = flowpay.settle(flowpay.start("spin", context, null)).get(0);
      JsonObject counted = flowpay.settle(flowpay.start("count", context, null)).get(0);

      assertEquals("timed_out", spun.getString("status"));
      assertEquals("timed_out", spun.getJsonObject("error").getString("code"));
      assertEquals(2, spun.getJsonObject("error").getInteger("line"));
      assertEquals("ok", counted.getString("status"));
      assertEquals(new JsonObject().put("runs", 1), flowpay.state(context), "the runaway run wrote nothing");
    }
  }

  @Test
  void consumerGroupThatVanishedIsCreatedAgain(TestRedis redis, @TempDir Path flows) {
    write(flows, "count", "ctx.set('runs', (ctx.get('runs') || 0) + 1);");
    try (FlowpayHarness flowpay = new FlowpayHarness(redis, flows)) {
      String context = "ctx-" + Ids.newId();
      flowpay.settle(flowpay.start("count", context, null));

      flowpay.send(Request.cmd(Command.XGROUP).arg("DESTROY").arg(flowpay.tasksKey()).arg(RedisKeys.GROUP));
      List<JsonObject> runs = flowpay.settle(flowpay.start("count", context, null));

      assertEquals(List.of("ok"), field(runs, "status"));
      assertEquals(new JsonObject().put("runs", 2), flowpay.state(context));
    }
  }

  private static long pendingCount(FlowpayHarness flowpay) {
    return flowpay.send(Request.cmd(Command.XPENDING).arg(flowpay.tasksKey()).arg(RedisKeys.GROUP)).get(0).toLong();
  }

  private static void writePayFlows(Path flows) {
    write(flows, "pay", "stripe.paymentIntents.create({amount: 500, currency: 'eur'});");
    write(flows, "new_create_payment_intent_response", "ctx.set('responses', (ctx.get('responses') || 0) + 1);");
  }

  /** Starts a chain whose Stripe call takes {@code delayMs}, and stops the node once the call went out. */
  private static Task stopWhileACallIsInFlight(FlowpayHarness flowpay, int delayMs) {
    flowpay.stripe.stubFor(post(urlPathEqualTo("/v1/payment_intents")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json").withFixedDelay(delayMs)
        .withBody(fixture("payment_intent").encode())));
    Task task = flowpay.start("pay", "ctx-" + Ids.newId(), null);
    flowpay.awaitRuns(task.chainId(), 1);
    flowpay.stopNode();
    return task;
  }

  private static UnaryOperator<io.flowpay.config.FlowpayOptions> limits(int maxDeliveries, int maxDepth, int disableAfter) {
    return options -> options.withWorker(options.worker().withLimits(maxDeliveries, maxDepth, disableAfter));
  }

  /** Metrics are counted on the worker's event loop after Redis answered: wait (bounded) until {@code line} is there. */
  private static String awaitMetric(FlowpayHarness flowpay, String line) {
    long deadline = System.currentTimeMillis() + 10_000;
    String metrics = flowpay.metrics.scrape();
    while (!metrics.contains(line) && System.currentTimeMillis() < deadline) {
      flowpay.vertx.timer(10).await();
      metrics = flowpay.metrics.scrape();
    }
    return metrics;
  }

  /** A gauge is refreshed from Redis every few seconds: wait (bounded) until it reads at least {@code least}. */
  private static double awaitGauge(FlowpayHarness flowpay, String gauge, double least) {
    java.util.regex.Pattern line = java.util.regex.Pattern.compile("(?m)^" + gauge + " (\\S+)$");
    long deadline = System.currentTimeMillis() + 15_000;
    double value = Double.NaN;
    while (!(value >= least) && System.currentTimeMillis() < deadline) {
      flowpay.vertx.timer(50).await();
      java.util.regex.Matcher found = line.matcher(flowpay.metrics.scrape());
      value = found.find() ? Double.parseDouble(found.group(1)) : Double.NaN;
    }
    return value;
  }

  private static List<String> field(List<JsonObject> runs, String name) {
    return runs.stream().map(run -> String.valueOf(run.getValue(name))).toList();
  }
}
