package io.flowpay.script;

import static io.flowpay.script.FlowEngineTest.assertOk;
import static io.flowpay.script.FlowEngineTest.main;
import static io.flowpay.script.FlowEngineTest.messages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.flow.Call;
import io.flowpay.flow.RunResult;
import io.flowpay.flow.RunStatus;
import io.flowpay.flow.Task;
import io.flowpay.stripe.StripeResources;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Flows that would hold a script thread forever: each run ends TIMED_OUT or FAILED with no effect
 * but its log lines, and the next run on the same engine and the same thread is correct.
 */
class RunawayScriptsTest {

  private static final long BUDGET_MS = 200;
  /** "Does not hang": generous, never a timing goal. */
  private static final long HANG_MS = BUDGET_MS + 5_000;
  /** Every runaway flow first tries each kind of effect. */
  private static final String EFFECTS = "log.info('start'); ctx.set('a', 1); stripe.customers.create({});"
      + " flow.dispatch('next', {});\n";
  /** The next run: a flow that uses the prelude (ctx, a Stripe call, JSON, a loop, a callback). */
  private static final String FEATURES = "var seen = ctx.get('count');\nctx.set('count', seen + 1);\n"
      + "var id = stripe.paymentIntents.create({amount: 2000, currency: 'usd', metadata: {n: String(input.n)}});\n"
      + "var sum = 0; for (var i = 0; i < 1000; i++) { sum += i; }\n"
      + "var doubled = JSON.parse(JSON.stringify([1, 2, 3])).map(x => x * 2);\n"
      + "log.info(JSON.stringify({seen: seen, n: input.n, sum: sum, doubled: doubled, call: id.length > 0}));";

  @TempDir
  Path flows;

  private EngineParts parts;
  private FlowEngine engine;
  private ExecutorService thread;

  @BeforeEach
  void setUp() throws Exception {
    parts = new EngineParts(flows, new RunBudget.Limits(BUDGET_MS * 1_000_000, FlowEngine.DEFAULT_MEMORY_BUDGET, 0));
    engine = parts.engine;
    thread = Executors.newSingleThreadExecutor();
    write("features", FEATURES);
    assertFeaturesWork(onThread(() -> run("features", 0)), 0);
  }

  @AfterEach
  void tearDown() {
    thread.shutdownNow();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "while (true) {}",
      "while (true);",
      "for (;;) {}",
      "for (;;) var x = 1",
      "do {} while (true)",
      "do ; while (true)",
      "var n = 0; outer: while (true) { n++; continue outer; }",
      "for (let i = 0; ; i++) {}",
      "var spin = () => { while (true) {} }; spin();",
      "[1].forEach(function () { while (true) {} });",
      "[3, 1, 2].sort(function (a, b) { for (;;) {} });",
      "JSON.parse('{\"a\": 1}', function (k, v) { while (true) {} });",
      "'abc'.replace(/b/, function () { while (true) {} });",
      "var o = {get x() { while (true) {} }}; o.x;",
      "var o = {toString: function () { for (;;) {} }}; '' + o;",
      "function f() { f2(); } function f2() { for (;;) {} } f();",
      "try { while (true) {} } catch (e) {} ctx.set('after', 1); log.info('swallowed');",
      "while (true) { try { while (true) {} } catch (e) {} }",
      "function f() { try { while (true) {} } finally { return 1; } }\nwhile (true) { f(); }",
      "try { while (true) {} } finally { for (;;) {} }",
  })
  void endlessLoopTimesOut(String loop) throws Exception {
    assertStopped(loop, RunStatus.TIMED_OUT, "flow ran longer than its 200 ms CPU budget (worker.cpuBudgetMs):");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "function f(n) { return f(n + 1) + 1; } f(0);",
      "function a(n) { return b(n + 1); } function b(n) { return a(n + 1); } a(0);",
      "var f = n => f(n + 1); f(0);",
      "function f() { try { f(); } catch (e) { f(); } } while (true) { try { f(); } catch (e) {} }",
      "function f() { try { f(); } catch (e) { log.info(typeof e.getStackTrace, String(e)); } } f(); log.info('on');",
  })
  void endlessRecursionFails(String recursion) throws Exception {
    assertStopped(recursion, RunStatus.FAILED, "RangeError: too much recursion (a function calls itself without end?)");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "/(a+)+$/.test('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!');",
      "try { /(a+)+$/.test('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'); } catch (e) {} ctx.set('after', 1);",
      "function f() { try { /(a+)+$/.test('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'); } finally { return 1; } }\n"
          + "f(); ctx.set('after', 1); log.info('swallowed');",
      "try { /(x+x+)+y/.test('xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'); }"
          + " finally { /(x+x+)+y/.test('xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'); }",
  })
  void backtrackingRegexIsStoppedByTheWatchdog(String regex) throws Exception {
    assertStopped(regex, RunStatus.TIMED_OUT, "flow ran longer than its 200 ms CPU budget (worker.cpuBudgetMs):");
  }

  /**
   * Work that spends CPU and allocates fast is stopped on CPU time or on memory, whichever comes
   * first: one huge native call (by the watchdog), exponential recursion over numbers (Nashorn
   * boxes what overflows an int; which budget it reaches first depends on how far the JIT got), or
   * nested iteration over a large object or array (each inner {@code for…in} / {@code for…of}
   * allocates its key list or iterator, so a slow machine may reach the memory budget first).
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "var s = 'x'.repeat(1 << 28); log.info(s.length);",
      "var s = new Array(1e8).join('abc'); log.info(s.length);",
      "var s = JSON.stringify(new Array(1e8)); log.info(s.length);",
      "function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); } fib(60);",
      "var f = n => n < 2 ? n : f(n - 1) + f(n - 2); f(60);",
      "var o = {}; for (var i = 0; i < 50000; i++) o['k' + i] = i;\nfor (var a in o) for (var b in o) {}",
      "var big = []; for (var i = 0; i < 50000; i++) big.push(i);\nfor (const x of big) for (let y of big) {}",
  })
  void cpuAndMemoryHungryWorkIsStoppedByWhicheverBudgetComesFirst(String hungry) throws Exception {
    RunResult result = runStopped(hungry);
    String message = result.error().message();
    if (result.status() == RunStatus.TIMED_OUT) {
      assertTrue(message.startsWith("flow ran longer than its 200 ms CPU budget"), message);
    } else {
      assertEquals(RunStatus.FAILED, result.status(), message);
      assertTrue(message.startsWith("flow allocated more than its 128 MB memory budget"), message);
    }
  }

  @Test
  void growingArrayIsStoppedByTheMemoryBudget() throws Exception {
    engine = EngineParts.engine(flows, new RunBudget.Limits(30_000_000_000L, 32L << 20, 0));
    RunResult result = runStopped("var a = [];\nwhile (true) a.push('x'.repeat(1000) + a.length);");
    assertEquals(RunStatus.FAILED, result.status());
    assertEquals("flow allocated more than its 32 MB memory budget: look for an array, object or string that grows"
        + " without end", result.error().message());
    assertEquals(3, result.error().line());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "var __flowpay_guard = function () {};                      | '__flowpay_guard': names starting with __flowpay",
      "function f(__flowpay_caught) {}                            | '__flowpay_caught': names starting with __flowpay",
      "try {} catch (__flowpay_guard) {}                          | '__flowpay_guard': names starting with __flowpay",
      "var x = __flowpay_guard;                                   | '__flowpay_guard': names starting with __flowpay",
      "function __flowpay_guard() {}                              | '__flowpay_guard': names starting with __flowpay",
      "var f = function __flowpay_x() {};                         | '__flowpay_x': names starting with __flowpay",
      "let __flowpay_y = 1;                                       | '__flowpay_y': names starting with __flowpay",
      "var \\u005f_flowpay_guard = 1;                             | '__flowpay_guard': names starting with __flowpay",
      "__flowpay: for (;;) {}                                     | '__flowpay': names starting with __flowpay",
      "with ({__flowpay_guard: 1}) { while (true) {} }            | 'with' is not allowed in flows",
  })
  void flowThatCouldReachTheGuardIsRefused(String source, String message) throws Exception {
    write("tamper", "log.info('start');\n\n" + source);
    RunResult result = onThread(() -> run("tamper", 1));
    assertEquals(RunStatus.FAILED, result.status());
    assertEquals("flow_invalid", result.error().code());
    assertTrue(result.error().message().startsWith(message), result.error().message());
    assertEquals(3, result.error().line(), result.error().toString());
    assertTrue(result.effects().logs().isEmpty());
    List<FlowProblem> problems = engine.check();
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).toString().startsWith(flows.resolve("tamper.js") + ":3: " + message),
        problems.get(0).toString());
    assertFeaturesWork(onThread(() -> run("features", 2)), 2);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "this['__flowpay' + '_guard'] = function () {};",
      "delete this['__flowpay' + '_guard']; delete this['__flowpay' + '_caught'];",
      "Object.defineProperty(this, '__flowpay' + '_guard', {value: function () {}});",
      "arguments[0] = function () {}; arguments[1] = function () {};",
      "Function.prototype.call = function () {};",
      "Object.freeze = function (x) { return x; };",
  })
  void guardCannotBeReplacedAtRunTime(String tamper) throws Exception {
    assertStopped("try { " + tamper + " } catch (e) {}\nwhile (true) {}", RunStatus.TIMED_OUT,
        "flow ran longer than its 200 ms CPU budget");
  }

  @Test
  void afterAWatchdogStopTheEngineAndItsThreadsStayCorrect() throws Exception {
    write("bomb", EFFECTS + "/(a+)+$/.test('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!');");
    CompiledFlows.Compiled features = parts.flows.load("features");
    for (int round = 0; round < 3; round++) {
      CompiledFlows.Compiled bomb = parts.flows.load("bomb");
      RunResult stopped = onThread(() -> run("bomb", 0));
      assertEquals(RunStatus.TIMED_OUT, stopped.status(), String.valueOf(stopped.error()));
      assertEquals(List.of("start"), messages(stopped));
      assertNotSame(bomb.script(), parts.flows.load("bomb").script(), "a stopped flow is compiled afresh");
      for (int n = 0; n < 20; n++) {
        int input = n;
        assertFeaturesWork(onThread(() -> run("features", input)), input);
      }
      assertFalse(onThread(() -> Thread.currentThread().isInterrupted()), "the stop's interrupt was cleared");
    }
    assertSame(features.script(), parts.flows.load("features").script(), "other flows stay cached");
    assertRunsInParallel();
  }

  @Test
  void loopOfAHundredThousandIterationsRunsUnderTheDefaultBudget() throws Exception {
    engine = new FlowEngine(flows, StripeResources.standard());
    write("busy", "var sum = 0;\nfor (var i = 0; i < 100000; i++) { sum += i % 7; }\n"
        + "function count(n) { var c = 0; while (c < n) c++; return c; }\n"
        + "var total = 0; [1, 2, 3].forEach(k => { total += count(k * 10000); });\nlog.info(sum, total);");
    for (int n = 0; n < 3; n++) {
      RunResult result = onThread(() -> run("busy", 0));
      assertOk(result);
      assertEquals(List.of("299995 60000"), messages(result));
    }
  }

  @Test
  void timedOutRunNamesTheLineOfItsLoop() throws Exception {
    write("spin", "log.info('start');\nvar n = 0;\nwhile (n >= 0) {\n  n++;\n}\n");
    RunResult result = onThread(() -> run("spin", 0));
    assertEquals(RunStatus.TIMED_OUT, result.status());
    assertEquals("timed_out", result.error().code());
    assertEquals(flows.resolve("spin.js").toString(), result.error().file());
    assertEquals(3, result.error().line(), result.error().toString());
    assertEquals("flow ran longer than its 200 ms CPU budget (worker.cpuBudgetMs): look for a loop that never ends,"
        + " endless recursion, or a regular expression that backtracks", result.error().message());
  }

  @Test
  void budgetMustBePositive() {
    IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new FlowEngine(flows, StripeResources.standard(), java.time.Duration.ZERO));
    assertTrue(refused.getMessage().contains("worker.cpuBudgetMs"), refused.getMessage());
  }

  // ---- helpers

  private void assertStopped(String runaway, RunStatus status, String message) throws Exception {
    RunResult result = runStopped(runaway);
    assertEquals(status, result.status(), String.valueOf(result.error()));
    assertTrue(result.error().message().startsWith(message), result.error().message());
  }

  /** Runs {@code runaway} after trying every effect: ends within the bound, keeps only the log line; the next run is fine. */
  private RunResult runStopped(String runaway) throws Exception {
    write("runaway", EFFECTS + runaway);
    RunResult result = onThread(() -> run("runaway", 0));
    assertFalse(result.ok(), "the runaway flow ended OK");
    assertEquals(List.of("start"), messages(result));
    assertTrue(result.effects().writes().isEmpty() && result.effects().calls().isEmpty()
        && result.effects().dispatches().isEmpty(), "a stopped run commits no effect");
    assertEquals(flows.resolve("runaway.js").toString(), result.error().file());
    assertFeaturesWork(onThread(() -> run("features", 7)), 7);
    return result;
  }

  private static void assertFeaturesWork(RunResult result, int n) {
    assertOk(result);
    assertEquals(List.of("{\"seen\":41,\"n\":" + n + ",\"sum\":499500,\"doubled\":[2,4,6],\"call\":true}"),
        messages(result));
    assertEquals("42", result.effects().writes().get("count"));
    Call call = result.effects().calls().get(0);
    JsonObject params = call.params().copy().put("metadata", withoutRouting(call.params().getJsonObject("metadata")));
    assertEquals(new JsonObject().put("amount", 2000).put("currency", "usd")
        .put("metadata", new JsonObject().put("n", String.valueOf(n))), params);
  }

  /** Create calls also carry Flowpay's routing metadata (flowpay_worker, flowpay_context, flowpay_call); not this test's subject. */
  private static JsonObject withoutRouting(JsonObject metadata) {
    JsonObject copy = metadata.copy();
    copy.remove("flowpay_worker");
    copy.remove("flowpay_context");
    copy.remove("flowpay_call");
    return copy;
  }

  private void assertRunsInParallel() throws Exception {
    ExecutorService others = Executors.newFixedThreadPool(3);
    try {
      List<Future<RunResult>> runs = new ArrayList<>();
      for (int n = 0; n < 30; n++) {
        int input = n;
        runs.add(others.submit(() -> run("features", input)));
      }
      for (int n = 0; n < runs.size(); n++) {
        assertFeaturesWork(runs.get(n).get(HANG_MS, TimeUnit.MILLISECONDS), n);
      }
    } finally {
      others.shutdownNow();
    }
  }

  private RunResult run(String flow, int n) {
    Task task = main(flow, new JsonObject().put("n", n));
    return engine.run(task, Map.of("count", "41"));
  }

  private <T> T onThread(Callable<T> work) throws Exception {
    return thread.submit(work).get(HANG_MS, TimeUnit.MILLISECONDS);
  }

  private void write(String flow, String source) throws IOException {
    Files.writeString(flows.resolve(flow + ".js"), source);
  }
}
