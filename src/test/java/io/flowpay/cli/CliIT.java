package io.flowpay.cli;

import static io.flowpay.cli.CliRun.config;
import static io.flowpay.cli.CliRun.flowpay;
import static io.flowpay.FlowpayHarness.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.FlowpayHarness;
import io.flowpay.cli.CliRun.Result;
import io.flowpay.Main;
import io.flowpay.TestRedis;
import io.flowpay.flow.Ids;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The command line as an operator uses it, against a running node (real Redis). */
@ExtendWith(TestRedis.Extension.class)
class CliIT {

  @TempDir
  Path dir;

  @Test
  void runFollowJsonPrintsEachRunAndSettledSummary(TestRedis redis) throws IOException {
    Path flows = dir.resolve("flows");
    write(flows, "hello", "ctx.set('greeting', 'hello ' + input.name); flow.dispatch('bye', {name: input.name});");
    write(flows, "bye", "log.info('bye', input.name);");
    try (FlowpayHarness flowpay = new FlowpayHarness(redis, flows)) {
      String context = "ctx-" + Ids.newId();
      Result result = flowpay("run", "hello", "--input", "{\"name\": \"Ada\"}", "--context", context,
          "--worker", flowpay.worker, "--follow", "--json", "--config", config(dir, redis, flows, flowpay.worker));

      assertEquals(0, result.code(), result.err());
      List<JsonObject> lines = result.out().lines().map(JsonObject::new).toList();
      assertEquals(3, lines.size(), result.out());
      assertEquals("hello", lines.get(0).getString("flow"));
      assertEquals("bye", lines.get(1).getString("flow"));
      assertEquals("bye Ada", lines.get(1).getJsonArray("logs").getJsonObject(0).getString("message"));
      assertEquals(new JsonObject().put("chain_id", lines.get(0).getString("chain_id")).put("status", "settled")
          .put("runs", 2L).put("failed", 0L).put("dead", 0L), lines.get(2));
      assertEquals("hello Ada", flowpay.state(context).getString("greeting"));
    }
  }

  @Test
  void runFollowExitsOneWhenARunFailsAndPrintsWhere(TestRedis redis) throws IOException {
    Path flows = dir.resolve("flows");
    write(flows, "oops", "\nnull.x;\n");
    try (FlowpayHarness flowpay = new FlowpayHarness(redis, flows)) {
      Result result = flowpay("run", "oops", "--worker", flowpay.worker, "--follow",
          "--config", config(dir, redis, flows, flowpay.worker));

      assertEquals(1, result.code(), result.out() + result.err());
      assertTrue(result.out().contains("FAILED") && result.out().contains("oops.js:2"), result.out());
      assertTrue(result.out().contains("1 run(s), 1 failed"), result.out());
    }
  }

  @Test
  void runFollowExitsOneWhenTheChainDoesNotSettleWithinTheTimeout(TestRedis redis) throws IOException {
    Path flows = dir.resolve("flows");
    write(flows, "later", "flow.after(600000, 'reminder', {});");
    write(flows, "reminder", "");
    try (FlowpayHarness flowpay = new FlowpayHarness(redis, flows)) {
      Result result = flowpay("run", "later", "--worker", flowpay.worker, "--follow", "--timeout", "1",
          "--config", config(dir, redis, flows, flowpay.worker));

      assertEquals(1, result.code(), result.out() + result.err());
      assertTrue(result.out().contains("later"), result.out());
      assertTrue(result.err().startsWith("flowpay: chain ") && result.err().contains(" is not settled yet ("), result.err());
    }
  }

  @Test
  void badInputIsAUsageErrorAndEnqueuesNothing(TestRedis redis) throws IOException {
    Path flows = dir.resolve("flows");
    write(flows, "hello", "");
    Result result = flowpay("run", "hello", "--input", "{name: Ada}", "--config",
        config(dir, redis, flows, "w-unused"));
    assertEquals(2, result.code());
    assertTrue(result.err().contains("--input is not JSON"), result.err());

    Result missing = flowpay("run", "nope", "--config", config(dir, redis, flows, "w-unused"));
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("flow 'nope' not found"), missing.err());
  }

  @Test
  void unreachableRedisSaysWhereAndHowToFix(TestRedis redis) throws IOException {
    Path flows = dir.resolve("flows");
    write(flows, "hello", "");
    Result result = flowpay("run", "hello", "--config",
        config(dir, new TestRedis("redis://127.0.0.1:1"), flows, "w1"));
    assertEquals(1, result.code());
    assertTrue(result.err().contains("cannot reach Redis at redis://127.0.0.1:1"), result.err());
  }

  @Test
  void checkReportsSyntaxErrorsWithFileAndLine() {
    Path flows = dir.resolve("flows");
    write(flows, "fine", "ctx.set('a', 1);");
    write(flows, "bad", "ctx.set('a', 1);\nvar = 2;\n");
    Result result = flowpay("check", flows.toString());
    assertEquals(1, result.code());
    assertTrue(result.out().contains("bad.js:2:5: error: SyntaxError: "), result.out());
    assertTrue(result.out().contains("2 flow(s) checked, 1 error(s), 0 warning(s)"), result.out());

    Result shipped = flowpay("check", "flows");
    assertEquals(0, shipped.code(), shipped.out());
  }

  @Test
  void deadListRetryAndDropAsAnOperatorUsesThem(TestRedis redis) throws IOException {
    Path flows = dir.resolve("flows");
    write(flows, "count", "ctx.set('runs', (ctx.get('runs') || 0) + 1);");
    try (FlowpayHarness flowpay = new FlowpayHarness(redis, flows)) {
      String config = config(dir, redis, flows, flowpay.worker);
      flowpay.stopNode();
      String context = "ctx-" + Ids.newId();
      var task = flowpay.start("count", context, null);
      flowpay.recordRunsThatDiedAlone(flowpay.takeWithoutAcknowledging(5), 5);
      flowpay.startAgain();
      flowpay.settle(task);

      Result list = flowpay("dead", "list", "--json", "--config", config);
      assertEquals(0, list.code(), list.err());
      JsonObject letter = new JsonObject(list.out().strip());
      assertEquals("deliveries", letter.getString("reason"));
      assertEquals(task.taskId(), letter.getJsonObject("task").getString("task_id"));

      Result retry = flowpay("dead", "retry", letter.getString("id"), "--by", "ops-ada", "--config", config);
      assertEquals(0, retry.code(), retry.err());
      assertEquals("retried " + letter.getString("id"), retry.out().strip());
      flowpay.settle(task);
      assertEquals(new JsonObject().put("runs", 1), flowpay.state(context));

      Result again = flowpay("dead", "drop", letter.getString("id"), "--config", config);
      assertEquals(1, again.code(), "the letter is gone once retried");
      assertTrue(again.out().contains("no dead letter " + letter.getString("id")), again.out());
      Result audit = flowpay("dead", "audit", "--config", config);
      JsonObject entry = new JsonObject(audit.out().strip());
      assertEquals("retry", entry.getString("action"));
      assertEquals("ops-ada", entry.getString("by"));
      assertEquals(task.taskId(), entry.getJsonObject("task").getString("task_id"), "the task is JSON, not escaped text");
      assertTrue(entry.getString("at").endsWith("Z"), "an ISO-8601 time: " + entry.getString("at"));

      Result noId = flowpay("dead", "retry", "--config", config);
      assertEquals(2, noId.code());
      assertTrue(noId.err().contains("needs the id of a dead letter"), noId.err());
    }
  }

  @Test
  void flowStatusAndEnable(TestRedis redis) throws IOException {
    Path flows = dir.resolve("flows");
    String flow = "never_failed_" + Ids.newId().substring(0, 8);
    write(flows, flow, "");
    String config = config(dir, redis, flows, "w-unused");
    Result status = flowpay("flow", "status", flow, "--config", config);
    assertEquals(0, status.code(), status.err());
    JsonObject json = new JsonObject(status.out());
    assertEquals(false, json.getBoolean("disabled"));
    assertEquals(0L, json.getLong("failures_in_a_row"));

    Result enable = flowpay("flow", "enable", flow, "--config", config);
    assertEquals(1, enable.code());
    assertTrue(enable.out().contains("was not disabled"), enable.out());
  }

  /** An operator sees the calls whose outcome at Stripe is unknown while they are reconciled. */
  @Test
  void callsListsTheCallsBeingReconciled(TestRedis redis) throws IOException {
    Path flows = dir.resolve("flows");
    write(flows, "pay", "stripe.paymentIntents.create({amount: 100, currency: 'eur'});");
    try (FlowpayHarness flowpay = new FlowpayHarness(redis, flows, null,
        options -> options.withStripe(options.stripe().withRetries(1, 10, 10, 1_000).withReconcile(600_000, 60_000, 60_000)))) {
      flowpay.stripe.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
          com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/v1/payment_intents"))
          .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(503)
              .withHeader("Content-Type", "application/json").withBody("{\"error\": {\"type\": \"api_error\"}}")));
      String config = config(dir, redis, flows, flowpay.worker);
      String context = "ctx-" + Ids.newId();
      var task = flowpay.start("pay", context, null);
      io.flowpay.queue.ReconcilingCalls reconciling = new io.flowpay.queue.ReconcilingCalls(flowpay.redis);
      long deadline = System.currentTimeMillis() + 30_000;
      while (reconciling.list(flowpay.worker).await().isEmpty() && System.currentTimeMillis() < deadline) {
        flowpay.vertx.timer(10).await();
      }

      Result listed = flowpay("calls", "--json", "--config", config);
      assertEquals(0, listed.code(), listed.err());
      JsonObject call = new JsonObject(listed.out().strip());
      assertEquals(Ids.callId(task.taskId(), 0), call.getString("call_id"));
      assertEquals(0, call.getInteger("attempts"));
      assertEquals(503, call.getInteger("last_status"));
      assertEquals(context, call.getString("context_id"));
      assertEquals("POST /v1/payment_intents", call.getString("method") + " " + call.getString("path"));
      assertEquals(Ids.idempotencyKey(task.taskId(), 0), call.getString("idempotency_key"));
      Result text = flowpay("calls", "--config", config);
      assertTrue(text.out().contains("1 call(s) being reconciled on worker " + flowpay.worker), text.out());
      Result none = flowpay("calls", "--unresolved", "--config", config);
      assertTrue(none.out().contains("0 call(s) unresolved"), none.out());
      assertEquals("running", flowpay.queue.chain(task.chainId()).await().status(), "a reconciling call keeps its chain open");
    }
  }

}
