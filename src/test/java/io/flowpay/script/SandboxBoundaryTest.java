package io.flowpay.script;

import static io.flowpay.script.FlowEngineTest.assertOk;
import static io.flowpay.script.FlowEngineTest.messages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.flow.Call;
import io.flowpay.flow.RunResult;
import io.flowpay.flow.Task;
import io.flowpay.stripe.StripeResources;
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

  @TempDir
  Path flows;

  private FlowEngine engine;

  @BeforeEach
  void setUp() throws IOException {
    // As serve builds it, with CPU and memory budgets that fit a run calling every function a few times.
    engine = new FlowEngine(flows, StripeResources.standard(),
        new RunBudget.Limits(Duration.ofSeconds(60).toNanos(), 8L << 30, 0));
    try (InputStream harness = getClass().getResourceAsStream("/sandbox/boundary.js")) {
      Files.write(flows.resolve("boundary.js"), harness.readAllBytes());
    }
  }

  @Test
  void noJavaObjectIsReachableFromAMainFlow() {
    assertNoJava(run(Task.main("boundary", "w1", "order_1", "api", new JsonObject().put("mode", "walk"))));
  }

  @Test
  void noJavaObjectIsReachableFromAResponseOrErrorFlow() {
    Call call = new Call("call_o_0", "POST", "/v1/payment_intents", new JsonObject().put("amount", 2000), "key_1",
        "boundary", "boundary", new JsonObject().put("mode", "walk"), null,
        Task.main("checkout", "w1", "order_1", "api", new JsonObject()));
    assertNoJava(run(call.replyTask(true, new JsonObject().put("mode", "walk").put("id", "pi_1"))));
    assertNoJava(run(call.replyTask(false, new JsonObject().put("mode", "walk")
        .put("error", new JsonObject().put("type", "card_error")))));
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(ints = {1, 2, 3, 4})
  void aHostileRunChangesNothingTheNextRunOnTheThreadCanSee(int seed) {
    List<String> before = messages(run(mode("fingerprint")));
    RunResult hostile = run(mode("hostile").put("seed", seed));
    System.out.println("seed " + seed + ": " + messages(hostile).get(messages(hostile).size() - 1) + ", fingerprint of "
        + before.size() + " objects");
    RunResult next = run(mode("fingerprint"));
    assertEquals(1, engine.sandbox().globalsBuilt(), "the hostile run left its global fit for reuse");
    assertEquals(before.size(), messages(next).size());
    for (int i = 0; i < before.size(); i++) {
      assertEquals(before.get(i), messages(next).get(i), "object #" + i);
    }
    assertEquals(Map.of(), next.effects().writes());
    assertEquals(List.of(), next.effects().dispatches());
    assertEquals(List.of(), next.effects().calls());
  }

  private static JsonObject mode(String mode) {
    return new JsonObject().put("mode", mode);
  }

  private RunResult run(JsonObject input) {
    return run(Task.main("boundary", "w1", "order_1", "api", input));
  }

  private RunResult run(Task task) {
    RunResult result = engine.run(task, Map.of("card", "\"4242\""));
    if (result.error() != null) {
      List<String> m = messages(result);
      System.out.println("LAST: " + m.subList(Math.max(0, m.size() - 3), m.size()));
    }
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
