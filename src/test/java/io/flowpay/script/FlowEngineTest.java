package io.flowpay.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.flow.Call;
import io.flowpay.flow.Caller;
import io.flowpay.flow.Ids;
import io.flowpay.flow.LogLine;
import io.flowpay.flow.Placement;
import io.flowpay.flow.RunResult;
import io.flowpay.flow.RunStatus;
import io.flowpay.flow.Task;
import io.flowpay.stripe.StripeResources;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a flow sees, what it records, and how its failures read. Sandbox probes: {@link SandboxProbesTest}. */
class FlowEngineTest {

  @TempDir
  Path flows;

  private FlowEngine engine;

  @BeforeEach
  void setUp() {
    engine = new FlowEngine(flows, StripeResources.standard());
  }

  @Test
  void mainFlowSeesInputAndMeta() throws IOException {
    write("checkout", "log.info(input.amount, input.items.length, meta.flow, meta.context_id, meta.worker_id,"
        + " meta.depth, meta.caller_id);\n"
        + "log.info(typeof response, typeof parsed_data, typeof error, typeof parsed_error, typeof request, typeof carry);");
    RunResult result = run(Task.main("checkout", "w1", "order_1", Caller.CLI,
        new JsonObject().put("amount", 2000).put("items", new JsonArray().add("a").add("b"))));
    assertOk(result);
    assertEquals(List.of("2000 2 checkout order_1 w1 0 cli", "undefined undefined undefined undefined undefined undefined"),
        messages(result));
  }

  @Test
  void responseFlowSeesResponseRequestAndCarry() throws IOException {
    write("new_create_payment_intent_response",
        "log.info(response.id, parsed_data.status, input === response, parsed_data === response);\n"
            + "log.info(request.method, request.path, request.params.amount, request.idempotency_key, carry.order);\n"
            + "log.info(typeof error, typeof parsed_error, meta.caller_id, meta.depth);");
    Task reply = originCall().replyTask(true, new JsonObject().put("id", "pi_1").put("status", "succeeded"));
    RunResult result = run(reply);
    assertOk(result);
    assertEquals(List.of("pi_1 succeeded true true", "POST /v1/payment_intents 2000 key_1 42",
        "undefined undefined stripe 1"), messages(result));
  }

  @Test
  void errorFlowSeesStripeErrorEnvelope() throws IOException {
    write("new_create_payment_intent_error",
        "if (error.error.code == 'card_declined') log.warn('declined', parsed_error.error.decline_code);\n"
            + "log.info(typeof response, typeof parsed_data, input === error, request.call_id, carry.order);");
    JsonObject envelope = new JsonObject()
        .put("error", new JsonObject().put("type", "card_error").put("code", "card_declined")
            .put("decline_code", "insufficient_funds"))
        .put("http_status", 402).put("outcome_unknown", false);
    RunResult result = run(originCall().replyTask(false, envelope));
    assertOk(result);
    assertEquals(List.of("declined insufficient_funds", "undefined undefined true call_o_0 42"), messages(result));
  }

  @Test
  void createReturnsCallIdAtOnceAndRecordsCall() throws IOException {
    write("checkout", "var id = stripe.paymentIntents.create({amount: 2000, currency: 'usd',"
        + " metadata: {order: '42', tags: ['a']}});\nlog.info(id);");
    Task task = main("checkout", new JsonObject());
    RunResult result = run(task);
    assertOk(result);
    Call call = single(result.effects().calls());
    assertEquals(List.of(Ids.callId(task.taskId(), 0)), messages(result));
    assertEquals(Ids.callId(task.taskId(), 0), call.callId());
    assertEquals("POST", call.method());
    assertEquals("/v1/payment_intents", call.path());
    assertEquals(new JsonObject("{\"amount\":2000,\"currency\":\"usd\",\"metadata\":{\"order\":\"42\",\"tags\":[\"a\"],"
        + "\"flowpay_worker\":\"w1\",\"flowpay_context\":\"order_1\",\"flowpay_call\":\"" + call.callId() + "\"}}"),
        call.params());
    assertEquals(Ids.idempotencyKey(task.taskId(), 0), call.idempotencyKey());
    assertEquals("new_create_payment_intent_response", call.onSuccess());
    assertEquals("new_create_payment_intent_error", call.onError());
    assertEquals(task, call.origin());
    assertNull(call.carry());
    assertNull(call.stripeAccount());
  }

  @Test
  void verbsWithIdBuildTheirPathAndDefaultFlows() throws IOException {
    write("checkout", "stripe.paymentIntents.confirm('pi_1', {payment_method: 'pm_card_visa'});\n"
        + "stripe.customers.del('cus_1');\nstripe.refunds.create({payment_intent: 'pi_1'});");
    Task task = main("checkout", null);
    List<Call> calls = run(task).effects().calls();
    assertEquals(3, calls.size());
    assertCall(calls.get(0), "POST", "/v1/payment_intents/pi_1/confirm", "new_confirm_payment_intent_response");
    assertEquals("pm_card_visa", calls.get(0).params().getString("payment_method"));
    assertCall(calls.get(1), "DELETE", "/v1/customers/cus_1", "new_delete_customer_response");
    assertEquals("new_delete_customer_error", calls.get(1).onError());
    assertCall(calls.get(2), "POST", "/v1/refunds", "new_create_refund_response");
    assertEquals(Ids.callId(task.taskId(), 2), calls.get(2).callId());
    assertEquals(Ids.idempotencyKey(task.taskId(), 1), calls.get(1).idempotencyKey());
  }

  @Test
  void callOptionsAreHonoured() throws IOException {
    write("checkout", "stripe.paymentIntents.capture('pi_1', {}, {onSuccess: 'captured', onError: 'billing/failed',"
        + " carry: {order: 42, lines: [1, 2]}, idempotencyKey: 'my-key', stripeAccount: 'acct_1'});");
    Call call = single(run(main("checkout", null)).effects().calls());
    assertEquals("captured", call.onSuccess());
    assertEquals("billing/failed", call.onError());
    assertEquals(new JsonObject().put("order", 42).put("lines", new JsonArray().add(1).add(2)), call.carry());
    assertEquals("my-key", call.idempotencyKey());
    assertEquals("acct_1", call.stripeAccount());
  }

  @Test
  void unknownOptionOrBadFlowNameIsScriptError() throws IOException {
    write("checkout", "stripe.customers.create({}, {onSucess: 'x'});");
    write("bad_flow", "stripe.customers.create({}, {onError: 'Not-A-Flow'});");
    assertFailed(run(main("checkout", null)), "script_error",
        "Error: stripe.customers.create: unknown option 'onSucess' (known: onSuccess, onError, carry, idempotencyKey,"
            + " stripeAccount, flowpayMetadata)", 1);
    RunResult bad = run(main("bad_flow", null));
    assertFailed(bad, "script_error", null, 1);
    assertTrue(bad.error().message().startsWith("Error: stripe.customers.create: flow name 'Not-A-Flow' is not valid"),
        bad.error().message());
  }

  @Test
  void sameTaskRunTwiceGivesSameCallIdsAndKeys() throws IOException {
    write("checkout", "stripe.customers.create({email: 'a@b.c'});\nstripe.paymentIntents.create({amount: 100});");
    Task task = main("checkout", null);
    List<Call> first = run(task).effects().calls();
    List<Call> second = run(task).effects().calls();
    assertEquals(2, first.size());
    assertEquals(first.stream().map(Call::callId).toList(), second.stream().map(Call::callId).toList());
    assertEquals(first.stream().map(Call::idempotencyKey).toList(), second.stream().map(Call::idempotencyKey).toList());
  }

  @Test
  void nonIntegerAmountsAreRejectedBeforeAnythingIsRecorded() throws IOException {
    write("checkout", "function attempt(params) {\n"
        + "  try { stripe.paymentIntents.create(params); } catch (e) { log.error(e.message); }\n}\n"
        + "attempt({amount: 20.5, currency: 'usd'});\nattempt({amount: '2000', currency: 'usd'});\n"
        + "attempt({line_items: [{price_data: {amount: 1.5}}]});\nattempt({amount: null});");
    RunResult result = run(main("checkout", null));
    assertOk(result);
    String rule = " must be an integer number of the smallest currency unit (e.g. 2000 for $20.00), got ";
    assertEquals(List.of(
        "stripe.paymentIntents.create: amount" + rule + "20.5",
        "stripe.paymentIntents.create: amount" + rule + "\"2000\"",
        "stripe.paymentIntents.create: line_items[0].price_data.amount" + rule + "1.5",
        "stripe.paymentIntents.create: amount" + rule + "null"), messages(result));
    assertTrue(result.effects().calls().isEmpty());
  }

  @Test
  void uncaughtAmountErrorFailsTheRunAtTheCallingLine() throws IOException {
    write("checkout", "log.info('start');\nstripe.paymentIntents.create({amount: 20.5, currency: 'usd'});");
    RunResult result = run(main("checkout", null));
    assertFailed(result, "script_error", "Error: stripe.paymentIntents.create: amount must be an integer number of the"
        + " smallest currency unit (e.g. 2000 for $20.00), got 20.5", 2);
    assertEquals(List.of("start"), messages(result));
    assertTrue(result.effects().calls().isEmpty());
  }

  @Test
  void missingIdIsAClearError() throws IOException {
    write("checkout", "stripe.paymentIntents.confirm({payment_method: 'pm_card_visa'});");
    assertFailed(run(main("checkout", null)), "script_error", "Error: stripe.paymentIntents.confirm: the id is missing:"
        + " call stripe.paymentIntents.confirm(id, params, options) with the id as a string", 1);
  }

  @Test
  void requestCallsAnyPath() throws IOException {
    write("checkout", "stripe.request('POST', '/v1/customers/cus_1/tax_ids', {type: 'eu_vat', value: 'DE123'},"
        + " {carry: 'x'});\nstripe.request('get', '/v1/balance');");
    List<Call> calls = run(main("checkout", null)).effects().calls();
    assertCall(calls.get(0), "POST", "/v1/customers/cus_1/tax_ids", "new_request_response");
    assertEquals("new_request_error", calls.get(0).onError());
    assertEquals("DE123", calls.get(0).params().getString("value"));
    assertEquals("x", calls.get(0).carry());
    assertCall(calls.get(1), "GET", "/v1/balance", "new_request_response");
  }

  @Test
  void requestRefusesOtherHostsAndMethods() throws IOException {
    write("bad_path", "stripe.request('POST', 'https://evil.example/v1/x', {});");
    write("bad_method", "stripe.request('PATCH', '/v1/customers', {});");
    assertTrue(run(main("bad_path", null)).error().message().startsWith("Error: stripe.request: path must start with /v1/"));
    assertEquals("Error: stripe.request: method must be GET, POST or DELETE, got 'PATCH'",
        run(main("bad_method", null)).error().message());
  }

  @Test
  void ctxReadsOwnWritesThenSnapshot() throws IOException {
    write("counter", "log.info(ctx.get('count') + 1, Array.isArray(ctx.get('tags')), ctx.get('tags')[1]);\n"
        + "ctx.set('count', ctx.get('count') + 1);\nctx.del('gone');\nctx.set('order', {id: 7, lines: [1]});\n"
        + "log.info(ctx.get('count'), typeof ctx.get('gone'), typeof ctx.get('never'), ctx.get('order').lines[0]);\n"
        + "log.info(JSON.stringify(ctx.all()));");
    Map<String, String> snapshot = Map.of("count", "41", "tags", "[\"a\",\"b\"]", "gone", "true", "_version", "7");
    RunResult result = engine.run(main("counter", null), snapshot);
    assertOk(result);
    assertEquals(List.of("42 true b", "42 undefined undefined 1",
        "{\"count\":42,\"order\":{\"id\":7,\"lines\":[1]},\"tags\":[\"a\",\"b\"]}"), messages(result));
    Map<String, String> writes = result.effects().writes();
    assertEquals("42", writes.get("count"));
    assertTrue(writes.containsKey("gone"));
    assertNull(writes.get("gone"));
    assertEquals(new JsonObject("{\"id\":7,\"lines\":[1]}"), new JsonObject(writes.get("order")));
  }

  @Test
  void ctxRefusesReservedKeysAndNonJsonValues() throws IOException {
    write("keys", "function attempt(f) { try { f(); } catch (e) { log.error(e.message); } }\n"
        + "attempt(() => ctx.set('_version', 1));\nattempt(() => ctx.set('', 1));\n"
        + "attempt(() => ctx.set('a', undefined));\nattempt(() => ctx.set('a', function () {}));\n"
        + "attempt(() => ctx.get(42));");
    RunResult result = run(main("keys", null));
    assertOk(result);
    List<String> messages = messages(result);
    assertTrue(messages.get(0).startsWith("ctx.set: key '_version' is not valid"), messages.get(0));
    assertTrue(messages.get(1).startsWith("ctx.set: key '' is not valid"), messages.get(1));
    assertTrue(messages.get(2).startsWith("ctx.set: the value must be a JSON value"), messages.get(2));
    assertTrue(messages.get(3).endsWith("got function"), messages.get(3));
    assertEquals("ctx.get: the key must be a string, got number", messages.get(4));
    assertTrue(result.effects().writes().isEmpty());
  }

  @Test
  void dispatchRecordsChildTask() throws IOException {
    write("checkout", "var a = flow.dispatch('send_receipt', {order: 42});\n"
        + "var b = flow.dispatch('audit/log', null, {worker: 'w2', context: 'tenant_9'});\nlog.info(a, b);");
    Task task = main("checkout", null);
    RunResult result = run(task);
    assertOk(result);
    List<Task> children = result.effects().dispatches();
    assertEquals(2, children.size());
    Task receipt = children.get(0);
    assertEquals(List.of(receipt.taskId() + " " + children.get(1).taskId()), messages(result));
    assertEquals("send_receipt", receipt.flow());
    assertEquals(new JsonObject().put("order", 42), receipt.input());
    assertEquals(List.of("w1", "order_1", "flow", task.chainId(), task.taskId(), 1, 1),
        List.of(receipt.workerId(), receipt.contextId(), receipt.callerId(), receipt.chainId(), receipt.parentId(),
            receipt.depth(), receipt.attempt()));
    assertNull(receipt.reply());
    assertEquals(List.of("audit/log", "w2", "tenant_9"),
        List.of(children.get(1).flow(), children.get(1).workerId(), children.get(1).contextId()));
  }

  /**
   * A task for another context that names no worker goes where that context is placed, wherever the dispatching
   * task runs: every context of many lands on its placed worker, the own context stays, a named worker wins.
   */
  @Test
  void dispatchIntoAnotherContextGoesToThatContextsPlacedWorker() throws IOException {
    List<String> workers = List.of("w0", "w1", "w2", "w3", "w4", "w5", "w6", "w7");
    engine.placingOver(workers);
    write("fan_out", "for (var i = 0; i < 40; i++) { flow.dispatch('next', {}, {context: 'order-' + i}); }\n"
        + "flow.dispatch('next', {}); flow.dispatch('next', {}, {context: 'order-1', worker: 'w9'});");

    for (String runsOn : List.of("w3", "elsewhere")) {
      RunResult result = run(Task.main("fan_out", runsOn, "order-x", Caller.CLI, new JsonObject()));
      assertOk(result);
      List<Task> children = result.effects().dispatches();
      assertEquals(42, children.size());
      for (Task child : children.subList(0, 40)) {
        assertEquals(Placement.workerFor(child.contextId(), workers), child.workerId(), child.contextId());
      }
      assertTrue(children.subList(0, 40).stream().map(Task::workerId).distinct().count() > 1, "spread over workers");
      assertEquals(List.of(runsOn, "order-x"), List.of(children.get(40).workerId(), children.get(40).contextId()));
      assertEquals("w9", children.get(41).workerId());
    }
  }

  @Test
  void dispatchOfBadNameOrWorkerIsScriptError() throws IOException {
    write("checkout", "log.info('x');\n\nflow.dispatch('Send-Receipt', {});");
    write("bad_worker", "flow.dispatch('ok', {}, {worker: 'a b'});");
    RunResult result = run(main("checkout", null));
    assertFailed(result, "script_error", null, 3);
    assertTrue(result.error().message().startsWith("Error: flow.dispatch: flow name 'Send-Receipt' is not valid"));
    assertTrue(result.effects().dispatches().isEmpty());
    assertTrue(run(main("bad_worker", null)).error().message().startsWith("Error: flow.dispatch: worker 'a b' is not valid"));
  }

  @Test
  void logJoinsArgumentsAndPrintIsInfo() throws IOException {
    write("logs", "log.warn('a', {b: 1}, [1, 2], 3, null, undefined, true);\nprint('hello', 'world');\n"
        + "log.error(new TypeError('bad'));");
    RunResult result = run(main("logs", null));
    assertEquals(List.of(new LogLine("warn", "a {\"b\":1} [1,2] 3 null undefined true"),
        new LogLine("info", "hello world"), new LogLine("error", "TypeError: bad")), result.effects().logs());
  }

  @Test
  void syntaxErrorIsFlowInvalidWithLine() throws IOException {
    write("broken", "var a = 1;\nvar b = 2;\nvar c = (;\n");
    RunResult result = run(main("broken", null));
    assertFailed(result, "flow_invalid", null, 3);
    assertTrue(result.error().message().startsWith("SyntaxError: Expected an operand but found ;"),
        result.error().message());
    assertEquals(flows + "/broken.js", result.error().file());
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {
      "function* ids() { yield 1; }",
      "var g = function* () { yield 1; };",
      "class Order {}",
      "var {a, b} = {a: 1, b: 2};",
      "var xs = [...[1, 2]];",
      "async function f() {}",
      "var p = new Promise(function () {});",
      "var o = {a, ...rest};",
      "import x from 'y';",
  })
  void unsupportedSyntaxIsFlowInvalidWithItsLine(String line) throws IOException {
    write("modern", "var a = 1, rest = {};\n" + line + "\nlog.info('ran');");
    RunResult result = run(main("modern", null));
    if (line.contains("Promise")) {
      assertFailed(result, "script_error", "ReferenceError: \"Promise\" is not defined", 2);
      return;
    }
    assertFailed(result, "flow_invalid", null, 2);
    assertEquals(flows + "/modern.js", result.error().file());
    assertTrue(result.error().message().startsWith("SyntaxError: "), result.error().message());
    if (line.startsWith("function*")) {
      assertEquals("SyntaxError: ES6 generator is not supported in flows", result.error().message());
    }
  }

  @Test
  void thrownErrorsAreScriptErrorsAtTheirLine() throws IOException {
    write("thrower", "log.info('before');\n\nthrow new Error('boom');");
    write("typo", "var order = {};\nvar x = order.customer.id;");
    RunResult thrown = run(main("thrower", null));
    assertFailed(thrown, "script_error", "Error: boom", 3);
    assertEquals(List.of("before"), messages(thrown));
    RunResult typo = run(main("typo", null));
    assertFailed(typo, "script_error", null, 2);
    assertTrue(typo.error().message().startsWith("TypeError: "), typo.error().message());
  }

  @Test
  void failedRunKeepsLogsButNoOtherEffect() throws IOException {
    write("half", "log.info('made a call');\nstripe.customers.create({});\nctx.set('a', 1);\n"
        + "flow.dispatch('next', {});\nnull.boom;");
    RunResult result = run(main("half", null));
    assertFailed(result, "script_error", null, 5);
    assertEquals(List.of("made a call"), messages(result));
    assertTrue(result.effects().calls().isEmpty());
    assertTrue(result.effects().writes().isEmpty());
    assertTrue(result.effects().dispatches().isEmpty());
  }

  @Test
  void missingFlowAndBadNameAreReported() {
    RunResult missing = run(main("nope", null));
    assertFailed(missing, "flow_not_found", "flow 'nope' not found: create " + flows + "/nope.js", 0);
    RunResult invalid = run(main("../etc/passwd", null));
    assertEquals("flow_invalid", invalid.error().code());
    assertTrue(invalid.error().message().startsWith("flow name '../etc/passwd' is not valid"));
  }

  @Test
  void existsAndCheckReportBrokenFiles() throws IOException {
    write("good", "log.info('ok');");
    write("sub/also_good", "var x = 1;");
    write("sub/broken", "var a = 1;\nif (a {\n}");
    Files.writeString(flows.resolve("Bad-Name.js"), "var x = 1;");
    assertTrue(engine.exists("good"));
    assertTrue(engine.exists("sub/also_good"));
    assertTrue(!engine.exists("missing") && !engine.exists("Bad-Name"));
    List<FlowProblem> problems = engine.check();
    assertEquals(2, problems.size(), problems.toString());
    assertEquals(flows.resolve("Bad-Name.js"), problems.get(0).file());
    assertTrue(problems.get(0).message().startsWith("flow name 'Bad-Name' is not valid"));
    assertEquals(flows.resolve("sub/broken.js"), problems.get(1).file());
    assertTrue(problems.get(1).toString().startsWith(flows + "/sub/broken.js:2: SyntaxError: Expected ) but found {"),
        problems.get(1).toString());
  }

  @Test
  void changedFileIsRecompiled() throws IOException {
    Path file = write("versioned", "log.info('v1');");
    assertEquals(List.of("v1"), messages(run(main("versioned", null))));
    write("versioned", "log.info('v2', 'changed');");
    Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(
        Files.getLastModifiedTime(file).toMillis() + 2_000));
    assertEquals(List.of("v2 changed"), messages(run(main("versioned", null))));
  }

  @Test
  void runResultCarriesTiming() throws IOException {
    write("quick", "var x = 1;");
    long before = System.currentTimeMillis();
    RunResult result = run(main("quick", null));
    assertTrue(result.startedAt() >= before && result.startedAt() <= System.currentTimeMillis());
    assertTrue(result.durationMicros() > 0);
  }

  // ---- helpers

  private Path write(String flow, String source) throws IOException {
    Path file = flows.resolve(flow + ".js");
    Files.createDirectories(file.getParent());
    return Files.writeString(file, source);
  }

  private RunResult run(Task task) {
    return engine.run(task, Map.of());
  }

  static Task main(String flow, Object input) {
    return Task.main(flow, "w1", "order_1", Caller.CLI, input);
  }

  private static Call originCall() {
    Task origin = Task.main("checkout", "w1", "order_1", Caller.API, new JsonObject());
    return new Call("call_o_0", "POST", "/v1/payment_intents", new JsonObject().put("amount", 2000), "key_1",
        "new_create_payment_intent_response", "new_create_payment_intent_error", new JsonObject().put("order", 42),
        null, origin);
  }

  static List<String> messages(RunResult result) {
    return result.effects().logs().stream().map(LogLine::message).toList();
  }

  /** Runs a main flow against an empty context, checks that it succeeded; the messages it logged. */
  static List<String> okLogs(FlowEngine engine, String flow, Object input) {
    RunResult result = engine.run(main(flow, input), Map.of());
    assertOk(result);
    return messages(result);
  }

  static void assertOk(RunResult result) {
    assertEquals(RunStatus.OK, result.status(), () -> String.valueOf(result.error()));
    assertNull(result.error());
  }

  /** A null message is not checked. */
  static void assertFailed(RunResult result, String code, String message, int line) {
    assertEquals(RunStatus.FAILED, result.status());
    assertEquals(code, result.error().code(), result.error().toString());
    if (message != null) {
      assertEquals(message, result.error().message());
    }
    assertEquals(line, result.error().line(), result.error().toString());
  }

  private static void assertCall(Call call, String method, String path, String onSuccess) {
    assertEquals(List.of(method, path, onSuccess), List.of(call.method(), call.path(), call.onSuccess()));
  }

  private static <T> T single(List<T> items) {
    assertEquals(1, items.size(), items.toString());
    return items.get(0);
  }
}
