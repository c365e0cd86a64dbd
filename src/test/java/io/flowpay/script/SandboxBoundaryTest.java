package io.flowpay.script;

import static io.flowpay.script.FlowEngineTest.assertOk;
import static io.flowpay.script.FlowEngineTest.messages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.config.ScriptLimits;
import io.flowpay.flow.Call;
import io.flowpay.flow.Caller;
import io.flowpay.flow.RunResult;
import io.flowpay.flow.RunStatus;
import io.flowpay.flow.Task;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sandbox's boundary as a property, not a list of probes: {@code sandbox/boundary.js}, run as an
 * ordinary flow on the engine as {@code serve} builds it, (a) walks everything a flow can reach, calling
 * every function it finds, and finds no Java object; (b) fingerprints every shared object (properties,
 * accessors, internal values read through getters) before and after a run that calls every reachable
 * function with shared objects and odd values, and assigns and redefines every property: the next run on
 * the same thread, in the same global, sees the same fingerprint and none of the hostile run's values.
 */
class SandboxBoundaryTest {

  private static final int BATCH = 100;

  @TempDir
  Path flows;

  private EngineParts parts;
  private FlowEngine engine;

  @BeforeEach
  void setUp() throws IOException {
    // As serve builds it, with budgets and limits that fit a run calling every function a few times and
    // logging one line per shared object.
    parts = new EngineParts(flows, new RunBudget.Limits(Duration.ofSeconds(60).toNanos(), 8L << 30, 0),
        new ScriptLimits(64 << 20, 1 << 20, 16 << 20, 100_000, 100_000, ScriptLimits.DEFAULT_MAX_VALUE_DEPTH, false));
    engine = parts.engine;
    try (InputStream harness = getClass().getResourceAsStream("/sandbox/boundary.js")) {
      Files.write(flows.resolve("boundary.js"), harness.readAllBytes());
    }
  }

  @Test
  void noJavaObjectIsReachableFromAMainFlow() {
    assertNoJava(run(Task.main("boundary", "w1", "order_1", Caller.API, new JsonObject().put("mode", "walk"))));
  }

  @Test
  void noJavaObjectIsReachableFromAResponseOrErrorFlow() {
    Call call = new Call("call_o_0", "POST", "/v1/payment_intents", new JsonObject().put("amount", 2000), "key_1",
        "boundary", "boundary", new JsonObject().put("mode", "walk"), null,
        Task.main("checkout", "w1", "order_1", Caller.API, new JsonObject()));
    assertNoJava(run(call.replyTask(true, new JsonObject().put("mode", "walk").put("id", "pi_1"))));
    assertNoJava(run(call.replyTask(false, new JsonObject().put("mode", "walk")
        .put("error", new JsonObject().put("type", "card_error")))));
  }

  /**
   * The hostile run goes in batches of functions, each a run of its own on the same thread. A batch may
   * end in a Java error (Nashorn overflows its stack or fails inside on some odd calls): the sandbox then
   * throws the global away, which the test sees as a new global. Every other batch must leave the global
   * as it was: reused (the production check found nothing) and with the same fingerprint.
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(ints = {1, 2, 3})
  void aHostileRunChangesNothingTheNextRunOnTheThreadCanSee(int seed) {
    List<String> clean = messages(run(mode("fingerprint")));
    assertTrue(clean.size() > 400 && clean.stream().noneMatch(line -> line.startsWith("[flowpay]")), "whole: " + clean.size());
    long tried = 0;
    int batches = 0;
    int discarded = 0;
    for (int from = 0, total = Integer.MAX_VALUE; from < total; from += BATCH) {
      int globals = parts.globalsBuilt();
      RunResult batch = engine.run(task(mode("hostile").put("seed", seed).put("from", from).put("count", BATCH)), Map.of());
      batches++;
      if (batch.status() == RunStatus.OK) {
        JsonObject stats = new JsonObject(messages(batch).get(messages(batch).size() - 1));
        total = stats.getInteger("functions");
        tried += stats.getLong("tried");
        List<String> next = messages(run(mode("fingerprint")));
        assertEquals(globals, parts.globalsBuilt(), "batch from " + from + " left its global fit for reuse");
        assertFingerprint(clean, next, "after the batch from " + from);
      } else {
        assertTrue(batch.error().message().startsWith("RangeError: too much recursion")
            || batch.error().message().startsWith("flow failed inside Flowpay"), batch.error().toString());
        discarded++;
        RunResult next = run(mode("fingerprint"));
        assertEquals(globals + 1, parts.globalsBuilt(), "a run that ended in a Java error");
        assertFingerprint(clean, messages(next), "after the batch from " + from + " (a new global)");
      }
    }
    System.out.println("seed " + seed + ": " + tried + " calls and writes in " + batches + " batches (" + discarded
        + " ended by a Java error, their global thrown away), fingerprint of " + clean.size() + " objects unchanged");
    RunResult last = run(mode("fingerprint"));
    assertEquals(Map.of(), last.effects().writes());
    assertEquals(List.of(), last.effects().dispatches());
    assertEquals(List.of(), last.effects().calls());
  }

  private static void assertFingerprint(List<String> clean, List<String> now, String when) {
    assertEquals(clean.size(), now.size(), when);
    for (int i = 0; i < clean.size(); i++) {
      assertEquals(clean.get(i), now.get(i), "object #" + i + " " + when);
    }
  }

  private static JsonObject mode(String mode) {
    return new JsonObject().put("mode", mode);
  }

  private RunResult run(JsonObject input) {
    return run(task(input));
  }

  private static Task task(JsonObject input) {
    return Task.main("boundary", "w1", "order_1", Caller.API, input);
  }

  private RunResult run(Task task) {
    RunResult result = engine.run(task, Map.of("card", "\"4242\""));
    assertOk(result);
    return result;
  }

  private static void assertNoJava(RunResult result) {
    JsonObject stats = new JsonObject(messages(result).get(messages(result).size() - 1));
    System.out.println("walk: " + stats.copy().put("java", stats.getJsonArray("java").size()).encode());
    assertEquals(List.of(), stats.getJsonArray("java").getList());
    assertTrue(stats.getInteger("objects") > 1000, stats.encode());
  }
}
