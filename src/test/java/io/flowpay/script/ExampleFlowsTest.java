package io.flowpay.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.Main;
import io.flowpay.flow.Call;
import io.flowpay.flow.Caller;
import io.flowpay.flow.Delayed;
import io.flowpay.flow.RunResult;
import io.flowpay.flow.RunStatus;
import io.flowpay.flow.Task;
import io.flowpay.stripe.StripeResources;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shipped flows and the examples in flows/examples, as people copy them: checked, and their decisions. */
class ExampleFlowsTest {

  private static final Path FLOWS = Path.of("flows");

  @Test
  void shippedFlowsAndExamplesPassTheStrictCheck() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int code = Main.execute(Map.of(), new PrintWriter(out, true), new PrintWriter(err, true), "check", "--strict",
        FLOWS.toString());

    assertEquals(0, code, out + err.toString());
    assertTrue(out.toString().matches("(?s).*\\d+ flow\\(s\\) checked, 0 error\\(s\\), 0 warning\\(s\\)\\s*"), out.toString());
    assertTrue(Integer.parseInt(out.toString().trim().split(" ")[0]) >= 25, "the examples are checked too: " + out);
  }

  /** An unknown outcome must not fail the order: the flow records 'unknown' and looks again later. */
  @Test
  void outcomeUnknownRecordsUnknownAndSchedulesARetrieve() {
    FlowEngine engine = new FlowEngine(FLOWS, StripeResources.standard());
    JsonObject unknown = new JsonObject().put("error", new JsonObject().put("type", "api_connection_error")
        .put("message", "no answer from Stripe within 30000 ms")).putNull("http_status").put("outcome_unknown", true);
    JsonObject declined = new JsonObject().put("error", new JsonObject().put("type", "card_error")
        .put("code", "card_declined").put("decline_code", "insufficient_funds")).put("http_status", 402)
        .put("outcome_unknown", false);

    RunResult afterUnknown = engine.run(confirmError(unknown), Map.of());
    RunResult afterDecline = engine.run(confirmError(declined), Map.of());

    assertEquals(RunStatus.OK, afterUnknown.status(), String.valueOf(afterUnknown.error()));
    assertEquals(Map.of("status", "\"unknown\""), afterUnknown.effects().writes());
    List<Delayed> later = afterUnknown.effects().delayed();
    assertEquals(1, later.size());
    assertEquals(60000L, later.get(0).delayMs());
    assertEquals("examples/outcome_unknown/check", later.get(0).task().flow());
    assertEquals(Map.of("status", "\"declined\"", "decline_code", "\"insufficient_funds\""),
        afterDecline.effects().writes());
    assertEquals(List.of(), afterDecline.effects().delayed());

    Task check = later.get(0).task();
    RunResult retrieve = engine.run(check, Map.of("status", "\"unknown\""));
    Call call = retrieve.effects().calls().get(0);
    assertEquals("GET /v1/payment_intents/pi_1 -> examples/outcome_unknown/confirmed",
        call.method() + " " + call.path() + " -> " + call.onSuccess());
  }

  private static Task confirmError(JsonObject envelope) {
    Task origin = Task.main("examples/outcome_unknown/confirm", "w1", "order-o3", Caller.CLI,
        new JsonObject().put("payment_intent", "pi_1").put("payment_method", "pm_card_visa"));
    Call confirm = new Call("call_1", "POST", "/v1/payment_intents/pi_1/confirm",
        new JsonObject().put("payment_method", "pm_card_visa"), "key_1", "examples/outcome_unknown/confirmed",
        "examples/outcome_unknown/confirm_failed", new JsonObject().put("payment_intent", "pi_1"), null, origin);
    return confirm.replyTask(false, envelope);
  }
}
