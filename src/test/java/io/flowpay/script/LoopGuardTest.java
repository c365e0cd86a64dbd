package io.flowpay.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.flow.LogLine;
import io.flowpay.flow.RunResult;
import io.flowpay.stripe.StripeResources;
import io.vertx.core.json.JsonArray;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.script.ScriptEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.nashorn.api.scripting.NashornScriptEngineFactory;

/** Where the loop guard goes, and that a guarded flow computes what the flow computes without it. */
class LoopGuardTest {

  private static final String ENTER = "(function (__flowpay_guard, __flowpay_caught, " + LoopGuard.NAMES
      + ") { 'use strict'; return function () {";
  private static final String LEAVE = "\n}; })";

  private final LoopGuard guard = new LoopGuard();

  @TempDir
  Path flows;

  /** {@code G} stands for {@code __flowpay_guard}, {@code C} for {@code __flowpay_caught}; {@code \\n} for a new line. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "while (x) y();                           | while (x) {G();y();}",
      "while(x);                                | while(x){G();;}",
      "do z(); while (q)                        | do {G();z();} while (q)",
      "do ; while (q)                           | do {G();;} while (q)",
      "for (;;) {}                              | for (;;) {G();}",
      "for (var k in o) k                       | for (var k in o) {G();k}",
      "for (let v of o) { v }                   | for (let v of o) {G(); v }",
      "for (const v of o) v()                   | for (const v of o) {G();v()}",
      "for (let i = 0; i < 3; i++) f(i)         | for (let i = 0; i < 3; i++) {G();f(i)}",
      "while (x) var y = 1, z                   | while (x) {G();var y = 1, z}",
      "while (x) (f)()                          | while (x) {G();(f)()}",
      "while (x) (a, b)                         | while (x) {G();(a, b)}",
      "while (x) 'a'                            | while (x) {G();'a'}",
      "while (x) `a${b}`                        | while (x) {G();`a${b}`}",
      "while (x) a ? 'b' : c                    | while (x) {G();a ? 'b' : c}",
      "while (x) y() /* c */ ;                  | while (x) {G();y() /* c */ ;}",
      "if (a) while (b) c(); else d()           | if (a) while (b) {G();c();} else d()",
      "while (a) while (b) c                    | while (a) {G();while (b) {G();c}}",
      "do if (a) {} while (b)                   | do {G();if (a) {}} while (b)",
      "l: for (;;) continue l                   | l: for (;;) {G();continue l}",
      "function f(a) { return a }               | function f(a) {G(); return a }",
      "function f() { 'use strict'; 'x'; g() }  | function f() { 'use strict'; 'x';;G(); g() }",
      "var g = function () { 'use strict'\\n}   | var g = function () { 'use strict';G();\\n}",
      "var h = a => a + 1                       | var h = a =>(G(), a + 1)",
      "var i = a => ({a: 1})                    | var i = a =>(G(), ({a: 1}))",
      "var j = () => { }                        | var j = () => {G(); }",
      "var f = n => n < 2 ? n : f(n - 1)        | var f = n =>(G(), n < 2 ? n : f(n - 1))",
      "var m = x => (o.m)(1)                    | var m = x =>(G(), (o.m)(1))",
      "var t = x => `a${x}`                     | var t = x =>(G(), `a${x}`)",
      "var u = a => b => c                      | var u = a =>(G(), b =>(G(), c))",
      "var v = () => () => 1                    | var v = () =>(G(), () =>(G(), 1))",
      "f(x => (a))                              | f(x =>(G(), (a)))",
      "while (a) f = x => 'y'                   | while (a) {G();f = x =>(G(), 'y')}",
      "try { x() } catch (e) { y } finally { z } | try { x() } catch (e) {C(e); y } finally {C(); z }",
      "var o = {get p() { return 1 }, m() {}}   | var o = {get p() {G(); return 1 }, m() {G();}}",
  })
  void guardGoesAtTheStartOfEveryLoopAndFunctionBody(String source, String guarded) throws Exception {
    String script = guard.insert(source.replace("\\n", "\n"), "flows/x.js");
    assertTrue(script.startsWith(ENTER) && script.endsWith(LEAVE), script);
    String body = script.substring(ENTER.length(), script.length() - LEAVE.length());
    assertEquals(guarded, body.replace("__flowpay_guard", "G").replace("__flowpay_caught", "C").replace("\n", "\\n"));
  }

  @Test
  void arrowWhoseBodyStartsWithAFunctionIsRefusedWithAFix() {
    LoopGuard.Refused refused = assertThrows(LoopGuard.Refused.class,
        () -> guard.insert("var a = 1;\nvar w = x => function () {};", "flows/x.js"));
    assertEquals(2, refused.getLineNumber());
    assertEquals("Flowpay cannot place its loop guard in this arrow function: write its body in braces,"
        + " x => { return ...; }", refused.reason());
  }

  /** Each program runs once as it is in a plain Nashorn engine and once guarded in a flow: same lines. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "var s = 0; for (var i = 0; i < 10; i++) s += i; log.info(String(s));",
      "var r = []; for (var k in {a: 1, b: 2}) r.push(k); log.info(r.join());",
      "var r = []; for (const v of [1, 2, 3]) r.push(v * 2); log.info(r.join());",
      "var i = 0; do i++; while (i < 5)\nlog.info(String(i));",
      "var n = 0; outer: for (var i = 0; i < 3; i++) for (var j = 0; j < 3; j++) { if (j == 1) continue outer; n++; }"
          + " log.info(String(n));",
      "function f() { 'use strict'; return this === undefined; } log.info(String(f()));",
      "function f(a) { \"use strict\"; 'other'; return typeof this; } log.info(f());",
      "var o = {m: function () { return this === o; }}; var g = x => (o.m)(); log.info(String(g()));",
      "var f = n => n < 2 ? n : f(n - 1) + f(n - 2); log.info(String(f(10)));",
      "var t = x => `v${x}`; log.info(t(1));",
      "var w = x => 'str' + x; log.info(w(1));",
      "var s = ''; try { throw new Error('e1'); } catch (e) { s += e.message; } finally { s += '!'; } log.info(s);",
      "function f() { try { return 'try'; } finally { log.info('finally'); } } log.info(f());",
      "var o = {get p() { return 7; }, set p(v) { this.q = v; }}; o.p = 3; log.info(String(o.p + o.q));",
      "log.info([3, 1, 2].sort((a, b) => a - b).map(x => ({v: x})).map(o => o.v).join());",
      "var c = 0; while (c < 3) c++\nlog.info(String(c));",
      "var x = 0; if (x) while (false) {} else x = 5; log.info(String(x));",
      "var u = a => b => a + b; log.info(String(u(1)(2)));",
      "var v = () => () => 'k'; log.info(v()());",
      "var s = 0; var i = 0; while (i < 4) { i++; if (i == 2) continue; s += i; } log.info(String(s));",
      "switch (2) { case 2: var k = 0; while (k < 2) k++; log.info(String(k)); }",
      "log.info(String((function () { return arguments.length; })(1, 2)));",
      "var n = 0; while (n < 3) /* c */ n++ // d\n; log.info(String(n));",
      "var s = `${(function () { var t = 0; while (t < 2) t++; return t; })()}`; log.info(s);",
      "var r = 'a-b-c'.replace(/-/g, function (m) { return '+'; }); log.info(r);",
      "log.info(JSON.stringify(JSON.parse('{\"a\":[1,2]}', function (k, v) { return typeof v === 'number' ? v * 10 : v; })));",
  })
  void guardedFlowComputesWhatThePlainScriptComputes(String program) throws Exception {
    Files.writeString(flows.resolve("program.js"), program);
    RunResult result = new FlowEngine(flows, StripeResources.standard()).run(FlowEngineTest.main("program", null), Map.of());
    FlowEngineTest.assertOk(result);
    assertEquals(plain(program), result.effects().logs().stream().map(LogLine::message).toList());
  }

  /** The program in a plain Nashorn engine (no sandbox, no guard), with a {@code log.info} that collects lines. */
  private static List<String> plain(String program) throws Exception {
    ScriptEngine engine = new NashornScriptEngineFactory().getScriptEngine("--language=es6");
    engine.eval("var lines = [], log = {info: function () { lines.push([].slice.call(arguments).join(' ')); }};");
    engine.eval(program);
    return new JsonArray((String) engine.eval("JSON.stringify(lines)")).stream().map(String::valueOf).toList();
  }
}
