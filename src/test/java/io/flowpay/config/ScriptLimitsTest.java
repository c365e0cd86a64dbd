package io.flowpay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.flowpay.failure.FlowpayFailure;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The per-run limits in the {@code worker} section: defaults, reading, and refusals that name the key. */
class ScriptLimitsTest {

  @Test
  void absentKeysTakeTheDefaults() {
    assertEquals(new ScriptLimits(), new FlowpayOptions(new JsonObject()).worker().scriptLimits());
  }

  @Test
  void theWorkerSectionSetsEachLimit() {
    JsonObject worker = new JsonObject().put("maxLogBytes", 2048).put("maxStateValueBytes", 1000)
        .put("maxStateBytes", 5000).put("maxStripeCallsPerRun", 5).put("maxDispatchesPerRun", 6)
        .put("maxValueDepth", 16).put("crossNamespaceDispatch", true);
    FlowpayOptions options = new FlowpayOptions(new JsonObject().put("worker", worker));
    assertEquals(new ScriptLimits(2048, 1000, 5000, 5, 6, 16, true), options.worker().scriptLimits());
    assertEquals(options.worker(), new WorkerOptions(options.worker().toJson()), "toJson reads back the same");
  }

  @Test
  void aBadValueIsRefusedNamingItsKey() {
    assertEquals("worker.maxValueDepth must be a whole number from 2 to 512 (got 0)",
        refusal(new JsonObject().put("maxValueDepth", 0)));
    assertEquals("worker.crossNamespaceDispatch must be true or false (got yes)",
        refusal(new JsonObject().put("crossNamespaceDispatch", "yes")));
    assertEquals("worker.maxStateValueBytes (2000) must not be more than worker.maxStateBytes (1000)",
        refusal(new JsonObject().put("maxStateValueBytes", 2000).put("maxStateBytes", 1000)));
  }

  private static String refusal(JsonObject worker) {
    return assertThrows(FlowpayFailure.class, () -> new WorkerOptions(worker)).getMessage();
  }
}
