package io.flowpay.script;

import static io.flowpay.script.FlowEngineTest.assertOk;
import static io.flowpay.script.FlowEngineTest.main;
import static io.flowpay.script.FlowEngineTest.messages;
import static io.flowpay.script.FlowEngineTest.okLogs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.flow.Effects;
import io.flowpay.flow.RunResult;
import io.flowpay.flow.RunStatus;
import io.flowpay.flow.Task;
import io.flowpay.stripe.StripeResources;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs on one thread reuse one global: what one run tries to leave in it, the next run must not see.
 * Each probe runs a writer flow, then a reader flow, on the test's thread, and checks that both ran in
 * the same global (so the probe really crossed runs) and that the reader saw a clean one.
 */
class GlobalReuseIsolationTest {

  /** Every attempt runs in its own try: a refused one (strict mode, frozen objects) does not stop the others. */
  private static final String ATTEMPT = "function attempt(f) { try { f(); } catch (e) {} }\n";

  @TempDir
  Path flows;

  private EngineParts parts;
  private FlowEngine engine;

  @BeforeEach
  void setUp() {
    parts = new EngineParts(flows);
    engine = parts.engine;
  }

  static Stream<Arguments> leaks() {
    return Stream.of(
        Arguments.of("globals",
            "attempt(function () { x = 1; }); attempt(function () { this.y = 2; }.bind(this));\n"
                + "var z = 3; function f() {} attempt(function () { Object.defineProperty(this, 'w', {value: 4}); }.bind(this));\n"
                + "attempt(function () { Object.defineProperty(this, 'g', {get: function () { return 5; }}); }.bind(this));\n"
                + "attempt(function () { this.__proto__ = {x: 1, y: 2}; }.bind(this));\n"
                + "attempt(function () { Object.setPrototypeOf(this, {x: 1}); }.bind(this));",
            "log.info(typeof x, typeof y, typeof z, typeof f, typeof w, typeof g, typeof this.x);",
            "undefined undefined undefined undefined undefined undefined undefined"),
        Arguments.of("built-ins and prototypes",
            "attempt(function () { Array.prototype.push = function () { return 'HACK'; }; });\n"
                + "attempt(function () { Object.prototype.evil = 1; }); attempt(function () { JSON.parse = null; });\n"
                + "attempt(function () { Math.random = function () { return 4; }; });\n"
                + "attempt(function () { String.prototype.trim = null; }); attempt(function () { Date.now = null; });\n"
                + "attempt(function () { Object.getPrototypeOf([][Symbol.iterator]()).next = null; });\n"
                + "attempt(function () { Function.prototype.call = null; }); attempt(function () { RegExp.prototype.exec = null; });",
            "function count(items) { var n = 0; for (var item of items) n++; return n; }\n"
                + "log.info([].push(1), ({}).evil, JSON.parse('7'), Math.random() < 1, typeof ' a'.trim, typeof Date.now,"
                + " count([1, 2]), typeof Function.prototype.call, /a/.test('a'));",
            "1 undefined 7 true function function 2 function true"),
        Arguments.of("deleted built-ins",
            "attempt(function () { delete this.Math; }.bind(this)); attempt(function () { delete Array.prototype.map; });\n"
                + "attempt(function () { delete JSON.stringify; }); attempt(function () { delete Object.prototype.toString; });",
            "log.info(typeof Math, typeof [].map, typeof JSON.stringify, String({}));",
            "object function function [object Object]"),
        Arguments.of("facades",
            "attempt(function () { stripe.paymentIntents.create = function () { return 'HACK'; }; });\n"
                + "attempt(function () { stripe.evil = 1; }); attempt(function () { ctx.get = null; });\n"
                + "attempt(function () { log.info = null; }); attempt(function () { flow.dispatch = null; });\n"
                + "attempt(function () { stripe.paymentIntents.create.evil = 1; });",
            "log.info(stripe.paymentIntents.create({amount: 1, currency: 'usd'}).indexOf('call_'), typeof stripe.evil,"
                + " typeof ctx.get, typeof flow.dispatch, typeof stripe.paymentIntents.create.evil);",
            "0 undefined function function undefined"),
        Arguments.of("RegExp statics",
            "/(\\d+)/.exec('card 4242 4242'); 'pan 4000'.replace(/(\\d+)/, '$1');",
            "log.info('[' + RegExp.$1 + '|' + RegExp.lastMatch + '|' + RegExp.input + '|' + RegExp.leftContext + '|'"
                + " + RegExp.rightContext + '|' + RegExp.lastParen + ']');",
            "[|||||]"),
        Arguments.of("symbols",
            "attempt(function () { Object.prototype[Symbol.for('leak')] = 'card'; });\n"
                + "attempt(function () { Symbol.prototype.leak = 'card'; }); attempt(function () { Symbol.leak = 'card'; });\n"
                + "attempt(function () { Array.prototype[Symbol.iterator] = null; });",
            "var n = 0; for (var item of [1]) n++;\n"
                + "log.info(({})[Symbol.for('leak')], Symbol.for('leak').leak, Symbol.leak, n);",
            "undefined undefined undefined 1"),
        Arguments.of("error hooks",
            "attempt(function () { Error.prepareStackTrace = function () { return 'HACK'; }; });\n"
                + "attempt(function () { Error.stackTraceLimit = 0; });"
                + " attempt(function () { Error.prototype.toString = function () { return 'HACK'; }; });\n"
                + "attempt(function () { TypeError.prototype.name = 'HACK'; });",
            "log.info(typeof Error.prepareStackTrace, typeof Error.stackTraceLimit, String(new Error('x')),"
                + " new TypeError('t').name);",
            "undefined undefined Error: x TypeError"),
        Arguments.of("error accessors (code planted in Error.prototype.stack)",
            "var evil = {toString: function () { ctx.set('stolen', ctx.all()); return 'planted'; }};\n"
                + "attempt(function () { Error.prototype.stack = evil; }); attempt(function () { Error.prototype.lineNumber = evil; });\n"
                + "attempt(function () { Error.prototype.fileName = evil; }); attempt(function () { Error.prototype.columnNumber = evil; });\n"
                + "attempt(function () { TypeError.prototype.stack = evil; }); attempt(function () { Object.prototype.stack = evil; });",
            "try { null.x; } catch (e) { log.info(typeof e.stack, String(e.stack).indexOf('planted'), typeof e.lineNumber,"
                + " typeof new Error('x').fileName); }",
            "string -1 number string"),
        Arguments.of("internal slots of shared built-ins",
            "attempt(function () { Date.prototype.setTime.call(Date.prototype, 4242); });\n"
                + "attempt(function () { Date.prototype.setFullYear.call(Date.prototype, 1999); });\n"
                + "attempt(function () { RegExp.prototype.compile.call(RegExp.prototype, '4242', 'g'); });\n"
                + "attempt(function () { RegExp.prototype.exec.call(RegExp.prototype, 'x4242x4242'); });\n"
                + "attempt(function () { 'a4242'.replace(RegExp.prototype, ''); });\n"
                + "attempt(function () { Array.prototype.unshift.call(Array.prototype, 'card', 4242); });",
            "log.info(Date.prototype.getTime(), RegExp.prototype.source, RegExp.prototype.global, RegExp.prototype.lastIndex,"
                + " Array.prototype.length, [].concat(Array.prototype).length);",
            "null (?:) false 0 0 0"),
        Arguments.of("objects thrown (the engine adds its Java exception even to frozen ones)",
            "attempt(function () { throw Math; }); attempt(function () { throw JSON; }); attempt(function () { throw log; });\n"
                + "attempt(function () { throw Object.prototype; }); attempt(function () { throw stripe.customers; });",
            "log.info(Object.isFrozen(Math), Object.isFrozen(JSON), Object.getOwnPropertyNames(log).length, typeof Math.nashornException);",
            "true true 3 undefined"),
        Arguments.of("closures kept in shared objects",
            "var stash = function () { ctx.set('stale', 'yes'); };\n"
                + "attempt(function () { Array.prototype.push.stash = stash; }); attempt(function () { Math.max.stash = stash; });\n"
                + "attempt(function () { Object.getOwnPropertyDescriptor(Object.prototype, '__proto__').get.stash = stash; });\n"
                + "attempt(function () { JSON.stash = stash; }); attempt(function () { this.arguments.push(stash); }.bind(this));\n"
                + "attempt(function () { Object.getPrototypeOf(new Map().entries()).stash = stash; });\n"
                + "attempt(function () { arguments.callee.stash = stash; });\n"
                + "attempt(function () { log.info.stash = stash; }); attempt(function () { stripe.customers.stash = stash; });",
            "var found = [Array.prototype.push.stash, Math.max.stash,"
                + " Object.getOwnPropertyDescriptor(Object.prototype, '__proto__').get.stash, JSON.stash,"
                + " Object.getPrototypeOf(new Map().entries()).stash, log.info.stash, stripe.customers.stash,"
                + " this.arguments && this.arguments.length].filter(function (v) { return v; });\n"
                + "found.forEach(function (f) { try { f(); } catch (e) {} }); log.info(found.length);",
            "0"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("leaks")
  void nextRunOnTheSameGlobalSeesNothingOfTheLast(String what, String writer, String reader, String clean)
      throws IOException {
    write("reader", reader);
    write("writer", ATTEMPT + writer + "\nlog.info('written');");
    RunResult before = engine.run(main("reader", null), Map.of());
    assertOk(before);
    assertEquals(List.of(clean), messages(before), what + ": a fresh global");
    assertEquals(List.of("written"), okLogs(engine, "writer", null));
    RunResult after = engine.run(main("reader", null), Map.of());
    assertOk(after);
    assertEquals(List.of(clean), messages(after), what);
    assertEquals(Map.of(), after.effects().writes(), what);
    assertEquals(1, parts.globalsBuilt(), "the three runs shared one global");
  }

  @Test
  void assigningAnUndeclaredNameFailsAtItsLine() throws IOException {
    write("sloppy", "var a = 1;\ntotal = a + 1;\nlog.info(total);");
    RunResult result = engine.run(main("sloppy", null), Map.of());
    FlowEngineTest.assertFailed(result, "script_error", "ReferenceError: \"total\" is not defined: declare it with var,"
        + " let or const (a flow cannot create globals)", 2);
  }

  @Test
  void aFlowMayDeclareItsOwnVariablesNamedLikeTheRunsNames() throws IOException {
    write("shadow", "let error = 'mine';\nconst request = 2;\nfunction carry() { return 3; }\n"
        + "log.info(error, request, carry(), typeof input);");
    assertEquals(List.of("mine 2 3 object"), okLogs(engine, "shadow", new JsonObject().put("a", 1)));
  }

  @Test
  void eachRunsNamesAndFacadesAreItsOwn() throws IOException {
    write("own", "ctx.set('n', input.n);\nstripe.customers.create({metadata: {n: String(input.n)}});\n"
        + "flow.dispatch('next', {n: input.n});\nlog.info(input.n, typeof response, ctx.get('n'));");
    for (int n = 0; n < 5; n++) {
      RunResult result = engine.run(main("own", new JsonObject().put("n", n)), Map.of());
      assertOk(result);
      assertEquals(List.of(n + " undefined " + n), messages(result));
      assertEquals(Map.of("n", String.valueOf(n)), result.effects().writes());
      assertEquals(1, result.effects().calls().size());
      assertEquals(String.valueOf(n), result.effects().calls().get(0).params().getJsonObject("metadata").getString("n"));
      assertEquals(1, result.effects().dispatches().size());
    }
    assertEquals(1, parts.globalsBuilt());
  }

  @Test
  void aClosedHostRefusesEveryCall() {
    Task task = main("stale", null);
    Effects effects = new Effects();
    Host host = new Host(new ContextState(Map.of(), effects), new StripeCalls(StripeResources.standard(), task, effects),
        new Dispatches(task, effects), effects);
    assertEquals("+", host.call(null, "ctx.set", "a", "1"));
    host.close();
    assertEquals("!ctx.set was called after its run ended", host.call(null, "ctx.set", "b", "2"));
    assertEquals("!stripe was called after its run ended", host.call(null, "stripe", "customers", "create", null, "{}"));
    assertEquals(Map.of("a", "1"), effects.writes());
    assertTrue(effects.calls().isEmpty());
  }

  @Test
  void aJavaErrorThrowsTheGlobalAwayAndAJavaScriptErrorDoesNot() throws IOException {
    write("throws", "throw new Error('plain');");
    write("overflows", "function f() { return f() + 1; }\nf();");
    write("fine", "log.info('fine');");
    assertEquals(RunStatus.FAILED, engine.run(main("throws", null), Map.of()).status());
    assertEquals(1, parts.globalsBuilt());
    assertEquals(RunStatus.FAILED, engine.run(main("overflows", null), Map.of()).status());
    assertEquals(List.of("fine"), messages(engine.run(main("fine", null), Map.of())));
    assertEquals(2, parts.globalsBuilt(), "a new global after the stack overflow");
  }

  @Test
  void aWatchdogStopThrowsTheGlobalAway() throws IOException {
    EngineParts strict = new EngineParts(flows, new RunBudget.Limits(50_000_000L, FlowEngine.DEFAULT_MEMORY_BUDGET, 0));
    write("fine", "log.info('fine');");
    write("backtracks", "log.info(/^(a+)+$/.test('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'));");
    assertEquals(List.of("fine"), messages(strict.engine.run(main("fine", null), Map.of())));
    RunResult stopped = strict.engine.run(main("backtracks", null), Map.of());
    assertEquals(RunStatus.TIMED_OUT, stopped.status(), String.valueOf(stopped.error()));
    assertEquals(List.of("fine"), messages(strict.engine.run(main("fine", null), Map.of())));
    assertNotEquals(1, strict.globalsBuilt(), "a new global after the stop");
  }

  private void write(String flow, String source) throws IOException {
    Files.writeString(flows.resolve(flow + ".js"), source);
  }
}
