package io.flowpay.worker;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.flowpay.FlowpayHarness.fixture;
import static io.flowpay.FlowpayHarness.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.flowpay.FlowpayHarness;
import io.flowpay.TestRedis;
import io.flowpay.flow.Caller;
import io.flowpay.flow.Ids;
import io.flowpay.flow.Task;
import io.flowpay.queue.ReconcilingCalls;
import io.flowpay.queue.RedisKeys;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The core loop end to end: flow → commit → Stripe (WireMock) → Redis → same worker/context → named flow. */
@ExtendWith(TestRedis.Extension.class)
class FlowLoopIT {

  private static final Path SHIPPED_FLOWS = Path.of("flows");

  @Test
  void shippedChainCreatesAndConfirmsOnSameWorkerAndContext(TestRedis redis) {
    try (FlowpayHarness flowpay = new FlowpayHarness(redis, SHIPPED_FLOWS)) {
      stubCreate(flowpay, "pi_chain1");
      stubConfirm(flowpay, "pi_chain1", 200, paymentIntent("pi_chain1", "succeeded"));
      String context = "order-" + Ids.newId();

      Task main = flowpay.start("main", context, order("o1", "pm_card_visa").put("customer", "cus_123"));
      List<JsonObject> runs = flowpay.settle(main);

      assertEquals(List.of("main", "new_create_payment_intent_response", "new_confirm_payment_intent_response"),
          field(runs, "flow"));
      assertEquals(List.of("ok", "ok", "ok"), field(runs, "status"));
      assertEquals(List.of("cli", "stripe", "stripe"), field(runs, "caller_id"));
      assertEquals(Set.of(flowpay.worker), Set.copyOf(field(runs, "worker_id")));
      assertEquals(Set.of(context), Set.copyOf(field(runs, "context_id")));
      assertEquals(new JsonObject().put("order_id", "o1").put("payment_intent", "pi_chain1").put("status", "succeeded"),
          flowpay.state(context));

      flowpay.stripe.verify(postRequestedFor(urlPathEqualTo("/v1/payment_intents"))
          .withHeader("Content-Type", matching("application/x-www-form-urlencoded.*"))
          .withHeader("Authorization", equalTo("Bearer " + FlowpayHarness.TEST_KEY))
          .withHeader("Stripe-Version", equalTo(FlowpayHarness.API_VERSION))
          .withHeader("Idempotency-Key", equalTo(Ids.idempotencyKey(main.taskId(), 0)))
          .withFormParam("amount", equalTo("2000"))
          .withFormParam("currency", equalTo("usd"))
          .withFormParam("customer", equalTo("cus_123"))
          .withFormParam("metadata[order_id]", equalTo("o1"))
          .withFormParam("payment_method_types[0]", equalTo("card")));
      flowpay.stripe.verify(postRequestedFor(urlPathEqualTo("/v1/payment_intents/pi_chain1/confirm"))
          .withFormParam("payment_method", equalTo("pm_card_visa"))
          .withHeader("Idempotency-Key", equalTo(Ids.idempotencyKey(runs.get(1).getString("task_id"), 0))));
    }
  }

  @Test
  void cardDeclinedRunsShippedErrorFlow(TestRedis redis) {
    try (FlowpayHarness flowpay = new FlowpayHarness(redis, SHIPPED_FLOWS)) {
      stubCreate(flowpay, "pi_declined");
      stubConfirm(flowpay, "pi_declined", 402, cardDeclined());
      String context = "order-" + Ids.newId();

      List<JsonObject> runs = flowpay.settle(flowpay.start("main", context, order("o2", "pm_card_chargeDeclined")));

      assertEquals("new_confirm_payment_intent_error", runs.get(2).getString("flow"));
      assertEquals("ok", runs.get(2).getString("status"));
      JsonObject state = flowpay.state(context);
      assertEquals("declined", state.getString("status"));
      assertEquals("generic_decline", state.getString("decline_code"));
    }
  }

  @Test
  void errorFlowSeesStripesEnvelopeForDeclineAndServerError(TestRedis redis, @TempDir Path flows) {
    write(flows, "pay", "stripe.paymentIntents.create({amount: 500, currency: 'eur'});");
    write(flows, "new_create_payment_intent_error",
        "ctx.set('seen', {type: error.error.type, code: error.error.code || null, status: error.http_status,"
            + " alias: parsed_error === error, input: input === error, call: request.path});");
    try (FlowpayHarness flowpay = new FlowpayHarness(redis, flows)) {
      flowpay.stripe.stubFor(post(urlPathEqualTo("/v1/payment_intents")).willReturn(stripeJson(402, cardDeclined())));
      String declined = "ctx-" + Ids.newId();
      flowpay.settle(flowpay.start("pay", declined, new JsonObject()));
      assertEquals(new JsonObject().put("type", "card_error").put("code", "card_declined").put("status", 402)
          .put("alias", true).put("input", true).put("call", "/v1/payment_intents"),
          flowpay.state(declined).getJsonObject("seen"));

    }
  }

  /**
   * A 5xx leaves the outcome unknown: the call is reconciled (re-sent with its key, looked up with
   * Stripe's search by its metadata) and only when the reconcile window is spent does the error
   * flow run, told {@code outcome_unknown}; the call is then listed for an operator.
   */
  @Test
  void serverErrorThatNeverEndsRunsTheErrorFlowWithOutcomeUnknownOnceTheWindowIsSpent(TestRedis redis,
      @TempDir Path flows) {
    write(flows, "pay", "stripe.paymentIntents.create({amount: 500, currency: 'eur'});");
    write(flows, "new_create_payment_intent_error", "ctx.set('seen', {type: error.error.type, status: error.http_status,"
        + " unknown: error.outcome_unknown, reconciled: request.reconciled, attempts: error.reconcile.attempts});");
    try (FlowpayHarness flowpay = new FlowpayHarness(redis, flows, null,
        options -> options.withStripe(options.stripe().withReconcile(1_500, 50, 200)))) {
      flowpay.stripe.stubFor(post(urlPathEqualTo("/v1/payment_intents")).willReturn(stripeJson(500,
          new JsonObject().put("error", new JsonObject().put("type", "api_error").put("message", "Something went wrong")))));
      flowpay.stripe.stubFor(get(urlPathEqualTo("/v1/payment_intents/search")).willReturn(stripeJson(200,
          new JsonObject().put("object", "search_result").put("data", new JsonArray()).put("has_more", false))));
      String broken = "ctx-" + Ids.newId();
      Task task = flowpay.start("pay", broken, new JsonObject());
      flowpay.settle(task);

      JsonObject seen = flowpay.state(broken).getJsonObject("seen");
      assertEquals("api_error", seen.getString("type"));
      assertEquals(500, seen.getInteger("status"));
      assertEquals(true, seen.getBoolean("unknown"));
      assertEquals("window_spent", seen.getString("reconciled"));
      assertTrue(seen.getInteger("attempts") >= 2, seen.encode());
      String query = flowpay.stripe.findAll(getRequestedFor(urlPathEqualTo("/v1/payment_intents/search"))).get(0)
          .queryParameter("query").firstValue();
      assertEquals("metadata['flowpay_call']:'" + Ids.callId(task.taskId(), 0) + "'", query);
      List<JsonObject> unresolved = new ReconcilingCalls(flowpay.redis).unresolved(flowpay.worker).await();
      assertEquals(List.of(Ids.callId(task.taskId(), 0)), unresolved.stream().map(call -> call.getString("call_id")).toList());
      assertEquals(List.of(), new ReconcilingCalls(flowpay.redis).list(flowpay.worker).await());
    }
  }

  /**
   * Values nested about as deep as JSON allows, around the point where the call, its answer or the
   * run cannot be stored any more: whichever way each ends (refused at the calling line, a failed
   * run, the error flow told answer_unstorable, or fine), every chain ends and the worker goes on.
   */
  @Test
  void valuesTooDeepToStoreNeverStallTheWorker(TestRedis redis, @TempDir Path flows) {
    write(flows, "deep", "var c = 'leaf'; for (var i = 0; i < input.depth; i++) { c = {n: c}; }\n"
        + "stripe.paymentIntents.create({amount: 100, currency: 'eur'}, {carry: c});");
    write(flows, "new_create_payment_intent_response", "ctx.set('outcome', 'answered');");
    write(flows, "new_create_payment_intent_error", "ctx.set('outcome', error.error.code);");
    write(flows, "plain", "ctx.set('outcome', 'ran');");
    try (FlowpayHarness flowpay = new FlowpayHarness(redis, flows)) {
      flowpay.stripe.stubFor(post(urlPathEqualTo("/v1/payment_intents")).willReturn(stripeJson(200,
          paymentIntent("pi_deep", "requires_confirmation"))));
      Set<String> outcomes = new java.util.TreeSet<>();
      for (int depth : new int[] {990, 997, 998, 999, 1000, 1001, 2000}) {
        String context = "ctx-" + Ids.newId();
        List<JsonObject> runs = flowpay.settle(flowpay.start("deep", context, new JsonObject().put("depth", depth)));
        String outcome = flowpay.state(context).getString("outcome", runs.get(runs.size() - 1).getString("status"));
        assertTrue(Set.of("answered", "answer_unstorable", "failed").contains(outcome), depth + ": " + outcome);
        outcomes.add(depth + "=" + outcome);
      }
      System.out.println("values too deep to store: " + outcomes);
      String after = "ctx-" + Ids.newId();
      flowpay.settle(flowpay.start("plain", after, null));
      assertEquals("ran", flowpay.state(after).getString("outcome"), "the worker goes on: " + outcomes);
      assertEquals(0, flowpay.send(Request.cmd(Command.HLEN).arg(RedisKeys.outbox(flowpay.worker))).toInteger(),
          "every call was answered: " + outcomes);
    }
  }

  /** Overload on the worker side is backpressure: 10,000 chains queued at once all run, none fails or is parked. */
  @Test
  void tenThousandChainsQueuedAtOnceAllSettle(TestRedis redis, @TempDir Path flows) {
    write(flows, "tick", "ctx.set('n', input.n);");
    try (FlowpayHarness flowpay = new FlowpayHarness(redis, flows)) {
      flowpay.stopNode();
      List<Task> tasks = new ArrayList<>();
      for (int chunk = 0; chunk < 500; chunk++) {
        List<io.vertx.core.Future<String>> started = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          Task task = Task.main("tick", flowpay.worker, "ctx-" + Ids.newId(), Caller.CLI, new JsonObject().put("n", tasks.size()));
          tasks.add(task);
          started.add(flowpay.queue.start(task));
        }
        io.vertx.core.Future.all(started).await();
      }
      flowpay.startAgain();
      long deadline = System.currentTimeMillis() + 120_000;
      while (System.currentTimeMillis() < deadline && (flowpay.send(Request.cmd(Command.XLEN).arg(flowpay.tasksKey())).toLong() > 0
          || flowpay.send(Request.cmd(Command.XPENDING).arg(flowpay.tasksKey()).arg(RedisKeys.GROUP)).get(0).toLong() > 0)) {
        flowpay.vertx.timer(50).await();
      }
      Map<String, Integer> statuses = new java.util.TreeMap<>();
      for (int from = 0; from < tasks.size(); from += 1_000) {
        List<Request> reads = tasks.subList(from, from + 1_000).stream()
            .map(task -> Request.cmd(Command.HGET).arg(RedisKeys.chain(task.chainId())).arg("status")).toList();
        flowpay.redis.batch(reads).await().forEach(status -> statuses.merge(String.valueOf(status), 1, Integer::sum));
      }
      assertEquals(Map.of("settled", tasks.size()), statuses);
      assertEquals(List.of(), flowpay.queue.deadLetters(flowpay.worker, "-", 10).await());
    }
  }

  @Test
  void serverErrorsAreRetriedWithOneKeyAndOneResponseFlowRuns(TestRedis redis, @TempDir Path flows) {
    write(flows, "pay", "stripe.paymentIntents.create({amount: 500, currency: 'eur'});");
    write(flows, "new_create_payment_intent_response", "ctx.set('paid', response.id);");
    try (FlowpayHarness flowpay = new FlowpayHarness(redis, flows)) {
      JsonObject serverError = new JsonObject().put("error", new JsonObject().put("type", "api_error").put("message", "busy"));
      String state = com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
      List<com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder> answers =
          List.of(stripeJson(500, serverError), stripeJson(500, serverError), stripeJson(200, paymentIntent("pi_third", "requires_confirmation")));
      for (int i = 0; i < answers.size(); i++) {
        flowpay.stripe.stubFor(post(urlPathEqualTo("/v1/payment_intents")).inScenario("flaky").whenScenarioStateIs(state)
            .willReturn(answers.get(i)).willSetStateTo("after " + i));
        state = "after " + i;
      }
      String context = "ctx-" + Ids.newId();

      Task task = flowpay.start("pay", context, new JsonObject());
      List<JsonObject> runs = flowpay.settle(task);

      assertEquals(List.of("pay", "new_create_payment_intent_response"), field(runs, "flow"));
      assertEquals("pi_third", flowpay.state(context).getString("paid"));
      assertEquals(List.of(Ids.idempotencyKey(task.taskId(), 0), Ids.idempotencyKey(task.taskId(), 0),
          Ids.idempotencyKey(task.taskId(), 0)), keys(flowpay.stripe.findAll(postRequestedFor(urlPathEqualTo("/v1/payment_intents")))));
    }
  }

  @Test
  void connectionRefusedRunsErrorFlowWithConnectionError(TestRedis redis, @TempDir Path flows) throws Exception {
    write(flows, "pay", "stripe.paymentIntents.create({amount: 500, currency: 'eur'});");
    write(flows, "new_create_payment_intent_error",
        "ctx.set('seen', {type: error.error.type, status: error.http_status, message: error.error.message});");
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (FlowpayHarness flowpay = new FlowpayHarness(redis, flows, "http://127.0.0.1:" + closedPort)) {
      String context = "ctx-" + Ids.newId();
      List<JsonObject> runs = flowpay.settle(flowpay.start("pay", context, new JsonObject()));

      assertEquals(List.of("pay", "new_create_payment_intent_error"), field(runs, "flow"));
      JsonObject seen = flowpay.state(context).getJsonObject("seen");
      assertEquals("api_connection_error", seen.getString("type"));
      assertNull(seen.getValue("status"));
      assertTrue(seen.getString("message").length() > 0);
    }
  }

  @Test
  void contextsDoNotSeeEachOthersStateAndOneContextRunsInOrder(TestRedis redis, @TempDir Path flows) {
    write(flows, "fan_out", "for (var i = 0; i < 12; i++) { flow.dispatch('step', {i: i}); }"
        + " ctx.set('secret', meta.context_id);");
    write(flows, "step", "var t0 = Date.now(); while (Date.now() - t0 < 3) {}"
        + " var seen = ctx.get('order') || []; seen.push(input.i); ctx.set('order', seen);"
        + " ctx.set('keys', Object.keys(ctx.all()).filter(k => k !== 'keys').sort());"
        + " log.info(JSON.stringify({from: t0, to: Date.now()}));");
    try (FlowpayHarness flowpay = new FlowpayHarness(redis, flows)) {
      String a = "ctx-a-" + Ids.newId();
      String b = "ctx-b-" + Ids.newId();
      Task chainA = flowpay.start("fan_out", a, new JsonObject());
      Task chainB = flowpay.start("fan_out", b, new JsonObject());
      List<JsonObject> runsA = flowpay.settle(chainA);
      flowpay.settle(chainB);

      JsonArray inOrder = new JsonArray(IntStream.range(0, 12).boxed().toList());
      for (String context : List.of(a, b)) {
        JsonObject state = flowpay.state(context);
        assertEquals(inOrder, state.getJsonArray("order"), "tasks of one context run one at a time, in order");
        assertEquals(context, state.getString("secret"));
        assertEquals(new JsonArray(List.of("order", "secret")), state.getJsonArray("keys"));
      }
      assertNoOverlap(runsA.stream().filter(run -> run.getString("flow").equals("step")).toList());
    }
  }

  @Test
  void contextWrittenElsewhereBetweenTwoRunsIsWhatTheSecondRunSees(TestRedis redis, @TempDir Path flows) {
    write(flows, "count", "ctx.set('n', (ctx.get('n') || 0) + 1);");
    try (FlowpayHarness flowpay = new FlowpayHarness(redis, flows)) {
      String context = "ctx-" + Ids.newId();
      flowpay.settle(flowpay.start("count", context, null));
      // Another process commits to the same context (what commit.lua does: write, bump the version).
      String key = RedisKeys.context(flowpay.worker, context);
      flowpay.send(Request.cmd(Command.HSET).arg(key).arg("n").arg("10"));
      flowpay.send(Request.cmd(Command.HINCRBY).arg(key).arg("_version").arg(1));

      List<JsonObject> runs = flowpay.settle(flowpay.start("count", context, null));

      assertEquals(List.of("ok"), runs.stream().map(run -> run.getString("status")).toList());
      assertEquals(new JsonObject().put("n", 11), flowpay.state(context),
          "the worker's remembered state of the context was stale; the run must have started over from Redis");
    }
  }

  @Test
  void scriptFailuresAreRecordedAndTheWorkerKeepsServing(TestRedis redis, @TempDir Path flows) {
    write(flows, "broken", "var x = ;\n");
    write(flows, "throws", "log.info('before');\nthrow new Error('boom');\n");
    write(flows, "good", "ctx.set('done', true);");
    try (FlowpayHarness flowpay = new FlowpayHarness(redis, flows)) {
      String context = "ctx-" + Ids.newId();
      JsonObject broken = flowpay.settle(flowpay.start("broken", context, new JsonObject())).get(0);
      JsonObject thrown = flowpay.settle(flowpay.start("throws", context, new JsonObject())).get(0);
      JsonObject missing = flowpay.settle(flowpay.start("no_such_flow", context, new JsonObject())).get(0);
      JsonObject good = flowpay.settle(flowpay.start("good", context, new JsonObject())).get(0);

      assertFailed(broken, "flow_invalid", "broken.js", 1);
      assertFailed(thrown, "script_error", "throws.js", 2);
      assertTrue(thrown.getJsonObject("error").getString("message").contains("boom"));
      assertEquals("before", thrown.getJsonArray("logs").getJsonObject(0).getString("message"));
      assertFailed(missing, "flow_not_found", null, 0);
      assertEquals("ok", good.getString("status"));
      assertEquals(new JsonObject().put("done", true), flowpay.state(context));
    }
  }

  @Test
  void sameTaskRunTwiceSendsSameIdempotencyKeys(TestRedis redis, @TempDir Path flows) {
    write(flows, "pay", "stripe.paymentIntents.create({amount: 700, currency: 'usd'});"
        + " stripe.customers.create({email: 'a@example.com'});");
    write(flows, "new_create_payment_intent_response", "");
    write(flows, "new_create_customer_response", "");
    try (FlowpayHarness flowpay = new FlowpayHarness(redis, flows)) {
      stubCreate(flowpay, "pi_twice");
      flowpay.stripe.stubFor(post(urlPathEqualTo("/v1/customers")).willReturn(stripeJson(200, fixture("customer"))));
      Task task = Task.main("pay", flowpay.worker, "ctx-" + Ids.newId(), Caller.CLI, new JsonObject());

      flowpay.node.queue().start(task).await();
      assertEquals(3, flowpay.settle(task).size());
      flowpay.node.queue().start(task).await();
      assertEquals(6, flowpay.awaitRuns(task.chainId(), 6).size(), "the task and both answers ran again");

      List<String> intentKeys = keys(flowpay.stripe.findAll(postRequestedFor(urlPathEqualTo("/v1/payment_intents"))));
      List<String> customerKeys = keys(flowpay.stripe.findAll(postRequestedFor(urlPathEqualTo("/v1/customers"))));
      assertEquals(List.of(Ids.idempotencyKey(task.taskId(), 0), Ids.idempotencyKey(task.taskId(), 0)), intentKeys);
      assertEquals(List.of(Ids.idempotencyKey(task.taskId(), 1), Ids.idempotencyKey(task.taskId(), 1)), customerKeys);
    }
  }

  private static void assertFailed(JsonObject run, String code, String fileEnd, int line) {
    assertEquals("failed", run.getString("status"), run.encodePrettily());
    JsonObject error = run.getJsonObject("error");
    assertEquals(code, error.getString("code"), error.encode());
    if (fileEnd != null) {
      assertTrue(error.getString("file").endsWith(fileEnd), error.encode());
      assertEquals(line, error.getInteger("line"), error.encode());
    }
  }

  private static void assertNoOverlap(List<JsonObject> runs) {
    List<long[]> spans = new ArrayList<>();
    for (JsonObject run : runs) {
      JsonObject span = new JsonObject(run.getJsonArray("logs").getJsonObject(0).getString("message"));
      spans.add(new long[] {span.getLong("from"), span.getLong("to")});
    }
    spans.sort((x, y) -> Long.compare(x[0], y[0]));
    for (int i = 1; i < spans.size(); i++) {
      assertTrue(spans.get(i)[0] >= spans.get(i - 1)[1], "two runs of one context overlapped");
    }
  }

  private static List<String> keys(List<LoggedRequest> requests) {
    return requests.stream().map(request -> request.getHeader("Idempotency-Key")).collect(Collectors.toList());
  }

  private static List<String> field(List<JsonObject> runs, String name) {
    return runs.stream().map(run -> run.getString(name)).toList();
  }

  private static JsonObject order(String orderId, String paymentMethod) {
    return new JsonObject().put("order_id", orderId).put("amount", 2000).put("currency", "usd")
        .put("payment_method", paymentMethod);
  }

  static JsonObject paymentIntent(String id, String status) {
    return fixture("payment_intent").put("id", id).put("status", status).put("amount", 2000).put("currency", "usd");
  }

  static JsonObject cardDeclined() {
    return new JsonObject().put("error", new JsonObject()
        .put("type", "card_error").put("code", "card_declined").put("decline_code", "generic_decline")
        .put("message", "Your card was declined.").put("doc_url", "https://stripe.com/docs/error-codes/card-declined"));
  }

  private static void stubCreate(FlowpayHarness flowpay, String id) {
    flowpay.stripe.stubFor(post(urlPathEqualTo("/v1/payment_intents"))
        .willReturn(stripeJson(200, paymentIntent(id, "requires_confirmation"))));
  }

  private static void stubConfirm(FlowpayHarness flowpay, String id, int status, JsonObject body) {
    flowpay.stripe.stubFor(post(urlPathEqualTo("/v1/payment_intents/" + id + "/confirm")).willReturn(stripeJson(status, body)));
  }

  static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder stripeJson(int status, JsonObject body) {
    return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
        .withHeader("Request-Id", "req_" + Ids.newId().substring(0, 14)).withBody(body.encode());
  }
}
