package io.flowpay.script;

import static io.flowpay.script.FlowEngineTest.assertFailed;
import static io.flowpay.script.FlowEngineTest.assertOk;
import static io.flowpay.script.FlowEngineTest.main;
import static io.flowpay.script.FlowEngineTest.messages;
import static io.flowpay.script.FlowEngineTest.okLogs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.flow.Caller;
import io.flowpay.flow.Effects;
import io.flowpay.flow.RunResult;
import io.flowpay.flow.Task;
import io.flowpay.stripe.StripeResources;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What a flow cannot reach, and what one run cannot leave behind for the next. */
class SandboxProbesTest {

  @TempDir
  Path flows;

  private FlowEngine engine;

  @BeforeEach
  void setUp() {
    engine = new FlowEngine(flows, StripeResources.standard());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "exit(1)                                           | ReferenceError: \"exit\" is not defined",
      "quit()                                            | ReferenceError: \"quit\" is not defined",
      "load('/etc/hostname')                             | ReferenceError: \"load\" is not defined",
      "loadWithNewGlobal({script: '1', name: 'x'})       | ReferenceError: \"loadWithNewGlobal\" is not defined",
      "readFully('/etc/hostname')                        | ReferenceError: \"readFully\" is not defined",
      "Java.type('java.lang.Runtime')                    | ReferenceError: \"Java\" is not defined",
      "Packages.java.io.File                             | ReferenceError: \"Packages\" is not defined",
      "java.lang.System.exit(1)                          | ReferenceError: \"java\" is not defined",
      "JSAdapter({})                                     | ReferenceError: \"JSAdapter\" is not defined",
      "engine.eval('1')                                  | TypeError: ",
      "context.getAttribute('javax.script.filename')     | TypeError: ",
      "eval('1')                                         | Error: eval is disabled in flows",
      "Function('return 1')                              | Error: Function is disabled in flows",
      "new Function('return 1')                          | Error: Function is disabled in flows",
      "(function () {}).constructor('return 1')          | Error: Function is disabled in flows",
      "(() => 1).constructor('return this')()            | Error: Function is disabled in flows",
      "stripe.paymentIntents.create.getClass()           | TypeError: ",
      "stripe.customers.create({}).getClass()            | TypeError: ",
      "ctx.get.constructor('return this')()              | Error: Function is disabled in flows",
      "ctx.all().getClass()                              | TypeError: ",
      "log.getClass()                                    | TypeError: ",
      "log.info.call.constructor('return 1')             | Error: Function is disabled in flows",
      "flow.dispatch.bind(null).getClass()               | TypeError: ",
      "Object.bindProperties({}, this)                   | TypeError: ",
      "new Error('x').getStackTrace()                    | TypeError: ",
      "Error.dumpStack()                                 | TypeError: ",
      "'abc'.getClass()                                  | TypeError: ",
      "'abc'.chars().parallel()                          | TypeError: ",
      "(42).getClass()                                   | TypeError: ",
  })
  void probeIsRefused(String probe, String error) throws IOException {
    write("probe", "log.info('start');\n" + probe + ";\nlog.info('escaped');");
    RunResult result = engine.run(main("probe", null), Map.of());
    assertFailed(result, "script_error", null, 2);
    assertTrue(result.error().message().startsWith(error), result.error().message());
    assertEquals(List.of("start"), messages(result));
    assertJvmAlive();
  }

  @ParameterizedTest
  @ValueSource(strings = {"exit", "quit", "load", "loadWithNewGlobal", "readFully", "readLine", "Java", "Packages",
      "java", "engine", "context", "__noSuchProperty__", "JSAdapter", "Object.bindProperties",
      "Error.prototype.getStackTrace", "Error.prototype.printStackTrace", "Error.captureStackTrace",
      "stripe.paymentIntents.create.getClass", "stripe.getClass", "ctx.get.getClass", "log.info.getClass",
      "print.getClass", "flow.getClass", "meta.getClass", "input.getClass", "'abc'.getClass", "'abc'.class",
      "'abc'.bytes", "'abc'.chars", "'abc'.wait", "('a' + Math.random()).getClass", "(1).getClass", "(1.5).class",
      "true.getClass", "Symbol.iterator.getClass", "stripe.customers.create({}).getClass", "meta.flow.getClass"})
  void probeSeesUndefined(String name) throws IOException {
    write("probe", "log.info(typeof " + name + ");");
    assertEquals(List.of("undefined"), okLogs(engine, "probe", new JsonObject().put("a", 1)));
  }

  @Test
  void stringsHaveJavaScriptMethodsNotJavaOnes() throws IOException {
    write("strings", "var s = 'pi_123';\nlog.info(s.startsWith('pi_'), s.startsWith('123', 3), s.endsWith('23'),"
        + " s.endsWith('pi', 2), s.includes('_1'), s.includes('x'), 'ab'.repeat(3), typeof s.isEmpty, typeof s.contains);");
    assertEquals(List.of("true true true true true false ababab undefined undefined"), okLogs(engine, "strings", null));
  }

  @Test
  void globalHoldsOnlyStandardBuiltins() throws IOException {
    write("probe", "log.info(Object.getOwnPropertyNames(this).sort().join(' '), Object.isFrozen(this));");
    RunResult result = engine.run(main("probe", null), Map.of());
    assertEquals(List.of("Array Boolean Date Error EvalError Function Infinity JSON Map Math NaN Number Object RangeError"
        + " ReferenceError RegExp Set String Symbol SyntaxError TypeError URIError WeakMap WeakSet decodeURI"
        + " decodeURIComponent encodeURI encodeURIComponent escape eval"
        + " isFinite isNaN parseFloat parseInt undefined unescape true"), messages(result));
  }

  @Test
  void runawayRecursionIsScriptError() throws IOException {
    write("recursive", "function f(n) { return f(n + 1) + 1; }\nf(0);");
    RunResult result = engine.run(main("recursive", null), Map.of());
    assertEquals("script_error", result.error().code());
    assertTrue(result.error().message().startsWith("RangeError: too much recursion"), result.error().message());
    assertJvmAlive();
  }

  @Test
  void caughtStackOverflowCannotBeInspected() throws IOException {
    write("overflow", "log.info('start');\nfunction f() { try { f(); } catch (e) { log.info(typeof e.getStackTrace,"
        + " typeof e.printStackTrace, String(e)); } }\nf();\nlog.info('escaped');");
    RunResult result = engine.run(main("overflow", null), Map.of());
    assertFailed(result, "script_error", "RangeError: too much recursion (a function calls itself without end?)", 2);
    assertEquals(List.of("start"), messages(result));
    assertJvmAlive();
  }

  @Test
  void javaScriptErrorsStayCatchable() throws IOException {
    write("catches", "try { null.x; } catch (e) { log.info(e instanceof TypeError, typeof e.getStackTrace); }\n"
        + "try { throw 'plain'; } catch (e) { log.info(e); } finally { log.info('finally'); }\n"
        + "try { stripe.paymentIntents.create({amount: 1.5}); } catch (e) { log.info(e instanceof Error); }");
    assertEquals(List.of("true undefined", "plain", "finally", "true"), okLogs(engine, "catches", null));
  }

  @Test
  void noErrorAFlowCanGetHoldsAJavaObject() throws IOException {
    write("errors", "function java(e) { return typeof e.nashornException + Object.getOwnPropertyNames(e).indexOf('nashornException'); }\n"
        + "var made = [new Error('a'), Error('b'), new TypeError('c'), RangeError('d'), new (Error.bind(null, 'e'))(),"
        + " new (Object.getPrototypeOf(new SyntaxError('f')).constructor)('g')];\n"
        + "var caught = [];\n"
        + "[function () { null.x; }, function () { JSON.parse('{'); }, function () { ctx.get(1); }, function () { throw {a: 1}; },"
        + " function () { stripe.customers.create(5); },"
        + " function () { [1].forEach(function () { undefinedName; }); }, function () { decodeURI('%'); },"
        + " function () { new Array(-1); }].forEach(function (f) { try { f(); } catch (e) { caught.push(e); } });\n"
        + "var kept = {}; try { try { throw kept; } finally { caught.push(kept); } } catch (e) {}\n"
        + "log.info(made.concat(caught).map(java).join(' '));\n"
        + "var e = new Error('x'); log.info(typeof e.stack, e.stack.indexOf('errors.js:7') >= 0, e.lineNumber, e.fileName.endsWith('errors.js'),"
        + " e.stack.indexOf('prelude') < 0, made[0] instanceof Error, made[2] instanceof TypeError, made[2].name);");
    assertEquals(List.of(String.join(" ", java.util.Collections.nCopies(15, "undefined-1")),
        "string true 7 true true true true TypeError"), okLogs(engine, "errors", null));
  }

  @Test
  void anObjectWithoutPrototypeThrownThroughAFinallyHoldsNoJavaObject() throws IOException {
    write("rootless", "var k = '__proto__', made = [Object.create(null), Object.setPrototypeOf({}, null), {[k]: null},"
        + " Object.create(Object.create(null)), Object.freeze(Object.create(null))];\n"
        + "(function () { var o = {}; o.__proto__ = null; made.push(o); })();\n"
        + "log.info(made.map(function (o) {\n"
        + "  try { try { throw o; } finally { return typeof o.nashornException; } } catch (e) { return 'caught'; }\n"
        + "}).join(' '));");
    assertEquals(List.of("undefined undefined undefined undefined undefined undefined"), okLogs(engine, "rootless", null));
  }

  @Test
  void aProtoKeyInAnObjectLiteralIsRefusedWhenTheFlowCompiles() throws IOException {
    write("literal", "var a = 1;\nvar o = {__proto__: null};");
    assertFailed(engine.run(main("literal", null), Map.of()), "flow_invalid", "'__proto__' as a key of an object"
        + " literal is not allowed in flows: use Object.create(proto) or Object.setPrototypeOf(object, proto)", 2);
  }

  @Test
  void oneRunLeavesNothingForTheNext() throws IOException {
    String observe = "log.info(typeof leaked, [].push(1), JSON.stringify({a: 1}), ({}).x, typeof Object.keys,"
        + " typeof Math.max, typeof marker);\n";
    write("polluter", observe + "var marker = 1, refused = 0;\n"
        + "[function () { leaked = 'yes'; }, function () { Array.prototype.push = function () { return 'HACK'; }; },"
        + " function () { JSON.stringify = function () { return 'HACK'; }; }, function () { Object.prototype.x = 'HACK'; },"
        + " function () { Object.keys = null; }, function () { Math.max = null; },"
        + " function () { JSON = {stringify: function () { return 'HACK'; }}; }, function () { Array = null; }]"
        + ".forEach(function (pollute) { try { pollute(); } catch (e) { refused++; } });\nlog.info('refused', refused);");
    write("observer", observe);
    String clean = "undefined 1 {\"a\":1} undefined function function undefined";
    for (String flow : List.of("polluter", "polluter", "observer", "polluter", "observer")) {
      RunResult result = engine.run(main(flow, null), Map.of());
      assertOk(result);
      assertEquals(flow.equals("polluter") ? List.of(clean, "refused 8") : List.of(clean), messages(result), flow);
    }
  }

  @Test
  void strictFlowThatRedefinesABuiltinFails() throws IOException {
    write("strict", "'use strict';\nArray.prototype.push = function () {};");
    RunResult result = engine.run(main("strict", null), Map.of());
    assertFailed(result, "script_error", null, 2);
    assertTrue(result.error().message().startsWith("TypeError: "), result.error().message());
  }

  @Test
  void parallelRunsSeeOnlyTheirOwnData() throws Exception {
    write("parallel", "ctx.set('seen', input.n);\nlog.info(input.n, ctx.get('n'), meta.context_id);\n"
        + "stripe.customers.create({metadata: {n: String(input.n)}});\ntry { seen = input.n; } catch (e) {}");
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<RunResult>> runs = new ArrayList<>();
      for (int n : IntStream.range(0, 200).toArray()) {
        Task task = Task.main("parallel", "w1", "ctx_" + n, Caller.CLI, new JsonObject().put("n", n));
        runs.add(threads.submit(() -> engine.run(task, Map.of("n", String.valueOf(n)))));
      }
      for (int n = 0; n < runs.size(); n++) {
        RunResult result = runs.get(n).get();
        assertOk(result);
        assertEquals(List.of(n + " " + n + " ctx_" + n), messages(result));
        assertEquals(String.valueOf(n), result.effects().writes().get("seen"));
        assertEquals(String.valueOf(n), result.effects().calls().get(0).params().getJsonObject("metadata").getString("n"));
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void nestedResourceNamesBecomeNestedObjects() throws Exception {
    Sandbox sandbox = new Sandbox("{\"issuing.cards\": {\"create\": {\"method\": \"POST\", \"needsId\": false}}}",
        50_000_000L, () -> {});
    Task task = main("checkout", null);
    Effects effects = new Effects();
    Host host = new Host(new ContextState(Map.of(), effects), new StripeCalls(StripeResources.standard(), task, effects),
        new Dispatches(task, effects), effects);
    RunBudget budget = new RunBudget(new RunBudget.Limits(1_000_000_000L, FlowEngine.DEFAULT_MEMORY_BUDGET, 0), false);
    assertNull(sandbox.run(sandbox.compileFlow("log.info(typeof stripe.issuing.cards.create);\n"
        + "try { stripe.issuing.cards.create({}); } catch (e) { log.info(e.message); }", "flows/checkout.js"), host,
        task, budget, "test"));
    assertEquals(List.of("function", "stripe.issuing.cards.create is not a Stripe call Flowpay knows; use"
        + " stripe.request"), effects.logs().stream().map(line -> line.message()).toList());
  }

  private void assertJvmAlive() throws IOException {
    write("alive", "log.info('alive');");
    assertEquals(List.of("alive"), messages(engine.run(main("alive", null), Map.of())));
  }

  private void write(String flow, String source) throws IOException {
    Files.writeString(flows.resolve(flow + ".js"), source);
  }
}
