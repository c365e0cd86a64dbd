package io.flowpay.script;

import static io.flowpay.script.FlowEngineTest.assertFailed;
import static io.flowpay.script.FlowEngineTest.assertOk;
import static io.flowpay.script.FlowEngineTest.messages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.config.ScriptLimits;
import io.flowpay.flow.Caller;
import io.flowpay.flow.RunResult;
import io.flowpay.flow.Task;
import io.flowpay.stripe.StripeResources;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What one run may log, store, call and dispatch ({@link ScriptLimits}): past a limit the call is refused
 * at the flow's line, and a run that does not catch the refusal commits nothing.
 */
class RunLimitsTest {

  /** Small limits, so that a test reaches each with a few lines. */
  private static final ScriptLimits SMALL = new ScriptLimits(1024, 100, 300, 3, 4, 8, false);

  @TempDir
  Path flows;

  @Test
  void logLinesPastTheLogBytesAreDroppedWithOneMarkerAndTheRunGoesOn() throws IOException {
    write("chatty", "for (var i = 0; i < 100; i++) log.info('line ' + i + ' ' + 'x'.repeat(90));\n"
        + "ctx.set('done', true);");
    RunResult result = run("chatty", Map.of());
    assertOk(result);
    List<String> lines = messages(result);
    assertEquals(11, lines.size(), lines.toString());
    assertTrue(lines.get(9).startsWith("line 9 "), lines.get(9));
    assertEquals("[flowpay] log limit reached: a run may log 1024 bytes (worker.maxLogBytes); this line of 98 bytes"
        + " and later ones were dropped", lines.get(10));
    assertEquals(Map.of("done", "true"), result.effects().writes());
  }

  @Test
  void aStateValuePastItsSizeIsRefusedAtItsLine() throws IOException {
    write("big", "ctx.set('small', 'ok');\nctx.set('big', 'x'.repeat(100));\nctx.set('after', 1);");
    RunResult result = run("big", Map.of());
    assertFailed(result, "script_error", "Error: ctx.set('big'): the value is 102 bytes as JSON, more than the 100 one"
        + " value may hold (worker.maxStateValueBytes)", 2);
    assertEquals(Map.of(), result.effects().writes(), "nothing of the failed run is committed");
  }

  @Test
  void aContextsWholeStatePastItsSizeIsRefusedAndDeletingMakesRoom() throws IOException {
    String value = "\"" + "x".repeat(88) + "\"";
    write("grow", "try { ctx.set('d', 'y'.repeat(80)); } catch (e) { log.info(e.message); }\n"
        + "ctx.del('a');\nctx.set('d', 'y'.repeat(80));\nlog.info('stored');");
    RunResult result = run("grow", Map.of("a", value, "b", value, "c", value));
    assertOk(result);
    assertEquals(List.of("ctx.set('d'): the context's state would be 356 bytes, more than the 300 a context may hold"
        + " (worker.maxStateBytes): delete keys it no longer needs", "stored"), messages(result));
    assertEquals(2, result.effects().writes().size());
  }

  @Test
  void stripeCallsPastTheLimitAreRefusedAtTheirLine() throws IOException {
    write("calls", "for (var i = 0; i < 3; i++) stripe.customers.create({});\n"
        + "stripe.refunds.create({payment_intent: 'pi_1'});");
    RunResult result = run("calls", Map.of());
    assertFailed(result, "script_error", "Error: stripe.refunds.create: this run already made 3 Stripe calls, the most"
        + " one run may (worker.maxStripeCallsPerRun)", 2);
    assertEquals(List.of(), result.effects().calls());
  }

  @Test
  void dispatchesAndTimersPastTheLimitAreRefusedAtTheirLine() throws IOException {
    write("fanout", "flow.dispatch('a', {}); flow.dispatch('b', {});\nflow.after(1000, 'c', {}); flow.after(5, 'd', {});\n"
        + "try { flow.dispatch('e', {}); } catch (e) { log.info(e.message); }\nflow.after(10, 'f', {});");
    RunResult result = run("fanout", Map.of());
    assertFailed(result, "script_error", "Error: flow.after: this run already dispatched 4 tasks, the most one run may"
        + " (worker.maxDispatchesPerRun)", 4);
    assertEquals(List.of("flow.dispatch: this run already dispatched 4 tasks, the most one run may"
        + " (worker.maxDispatchesPerRun)"), messages(result));
    assertEquals(List.of(), result.effects().dispatches());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "ctx.set('deep', deep)                                | ctx.set('deep'): the value",
      "stripe.customers.create({metadata: deep})            | stripe.customers.create: params",
      "stripe.customers.create({}, {carry: deep})           | stripe.customers.create: options",
      "stripe.request('POST', '/v1/customers', {a: deep})   | stripe.request: params",
      "flow.dispatch('next', deep)                          | flow.dispatch: input",
      "flow.after(10, 'next', {a: deep})                    | flow.after: input",
  })
  void aValueNestedPastTheDepthIsRefusedWhereItLeavesTheFlow(String call, String what) throws IOException {
    write("deep", "var deep = 'end';\nfor (var i = 0; i < 1000; i++) deep = [deep];\n" + call + ";");
    RunResult result = run("deep", Map.of());
    assertFailed(result, "script_error", "Error: " + what + " nests deeper than 8 levels of objects and arrays"
        + " (worker.maxValueDepth): flatten it", 3);
  }

  @Test
  void aValueWithinTheDepthPasses() throws IOException {
    write("shallow", "var v = 'end';\nfor (var i = 0; i < 7; i++) v = {k: v, s: '[[[[[[[[[[{{{{'};\n"
        + "ctx.set('v', v); flow.dispatch('next', {v: 1}); stripe.customers.create({}, {carry: v});");
    RunResult result = engine(new ScriptLimits(1024, 1000, 3000, 3, 4, 8, false))
        .run(Task.main("shallow", "w1", "order_1", Caller.API, new JsonObject()), Map.of());
    assertOk(result);
    assertEquals(1, result.effects().calls().size());
  }

  @ParameterizedTest(name = "from {0} to {1}: {2}")
  @CsvSource({
      "merchant-a:order_1, merchant-a:order_2, ok",
      "merchant-a:order_1, merchant-a, refused",
      "merchant-a:order_1, merchant-b:order_1, refused",
      "merchant-a:order_1, order_2, refused",
      "order_1, order_2, ok",
      "order_1, merchant-a:order_2, refused",
  })
  void aFlowDispatchesOnlyWithinItsContextsNamespace(String from, String to, String outcome) throws IOException {
    write("scoped", "flow.dispatch('next', {}, {context: '" + to + "'});\nflow.after(10, 'next', {}, {context: '" + to + "'});");
    RunResult result = engine(SMALL).run(Task.main("scoped", "w1", from, Caller.API, new JsonObject()), Map.of());
    if (outcome.equals("ok")) {
      assertOk(result);
      assertEquals(to, result.effects().dispatches().get(0).contextId());
    } else {
      String ns = from.contains(":") ? from.substring(0, from.indexOf(':')) : "";
      assertFailed(result, "script_error", "Error: flow.dispatch: context '" + to + "' is outside this flow's namespace '"
          + ns + "' (context '" + from + "'): a flow dispatches only into contexts whose id starts with the same part"
          + " before the first ':' (ids without ':' share one namespace); set worker.crossNamespaceDispatch to true to"
          + " allow any", 1);
      RunResult allowed = engine(SMALL.withCrossNamespaceDispatch(true))
          .run(Task.main("scoped", "w1", from, Caller.API, new JsonObject()), Map.of());
      assertOk(allowed);
      assertEquals(to, allowed.effects().delayed().get(0).task().contextId());
    }
  }

  private RunResult run(String flow, Map<String, String> snapshot) {
    return engine(SMALL).run(Task.main(flow, "w1", "order_1", Caller.API, new JsonObject()), snapshot);
  }

  private FlowEngine engine(ScriptLimits limits) {
    return new FlowEngine(flows, StripeResources.standard(), Duration.ofSeconds(2), limits);
  }

  private void write(String flow, String source) throws IOException {
    Files.writeString(flows.resolve(flow + ".js"), source);
  }
}
