package io.flowpay.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.flow.Call;
import io.flowpay.flow.Caller;
import io.flowpay.flow.RawJson;
import io.flowpay.flow.Task;
import io.flowpay.queue.ReconcileState;
import io.flowpay.stripe.StripeAnswer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReconcilePlanTest {

  private static final Task ORIGIN = Task.main("pay", "w1", "order-1", Caller.CLI, new JsonObject());

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "POST | /v1/payment_intents                     | /v1/payment_intents/search",
      "POST | /v1/customers                           | /v1/customers/search",
      "POST | /v1/refunds                             | -",
      "POST | /v1/payment_intents/pi_1/confirm        | /v1/payment_intents/pi_1",
      "POST | /v1/payment_intents/pi_1/capture        | /v1/payment_intents/pi_1",
      "POST | /v1/customers/cus_1                     | /v1/customers/cus_1",
      "POST | /v1/invoices/in_1/finalize              | /v1/invoices/in_1",
      "POST | /v1/checkout/sessions/cs_1/expire       | /v1/checkout/sessions/cs_1",
      "POST | /v1/checkout/sessions                   | -",
      "POST | /v1/customers/cus_1/tax_ids             | -",
      "POST | /v1/customers/cus_1/sources/src_1/verify | -",
      "DELETE | /v1/customers/cus_1                   | -",
      "GET  | /v1/customers/cus_1                     | -",
  })
  void readShowsWhatBecameOfTheCall(String method, String path, String read) {
    Call call = call(method, path, metadata(true));
    Call lookup = ReconcilePlan.readFor(call);
    assertEquals(read, lookup == null ? null : lookup.path());
    if (lookup != null) {
      assertEquals("GET", lookup.method());
      assertNull(lookup.idempotencyKey(), "a read carries no idempotency key");
    }
  }

  @Test
  void createIsSearchedByTheCallIdInItsMetadataOnlyWhenItCarriesIt() {
    Call tagged = call("POST", "/v1/payment_intents", metadata(true));
    assertEquals("metadata['flowpay_call']:'" + tagged.callId() + "'",
        ReconcilePlan.readFor(tagged).params().getString("query"));
    assertNull(ReconcilePlan.readFor(call("POST", "/v1/payment_intents", metadata(false))),
        "a create without flowpay_call (flowpayMetadata: false) cannot be found");
  }

  @Test
  void noAnswerIsAlwaysResentAndAnActionIsReadOnlyOnceStripeReplayedItsAnswer() {
    Call call = call("POST", "/v1/payment_intents/pi_1/confirm", metadata(true));
    assertEquals(ReconcilePlan.Probe.RESEND, ReconcilePlan.next(call, new ReconcileState(0, 0, null, "timeout", false)));
    assertEquals(ReconcilePlan.Probe.RESEND, ReconcilePlan.next(call, new ReconcileState(0, 3, null, "timeout", false)));
    assertEquals(ReconcilePlan.Probe.RESEND, ReconcilePlan.next(call, new ReconcileState(0, 0, 500, "api_error", false)),
        "a 500 Stripe did not replay may come before the work: the object says nothing of the call yet");
    assertEquals(ReconcilePlan.Probe.READ, ReconcilePlan.next(call, new ReconcileState(0, 1, 500, "api_error", true)));
    assertEquals(ReconcilePlan.Probe.READ, ReconcilePlan.next(call, new ReconcileState(0, 2, 502, "bad gateway", true)));
    Call create = call("POST", "/v1/payment_intents", metadata(true));
    assertEquals(ReconcilePlan.Probe.READ, ReconcilePlan.next(create, new ReconcileState(0, 0, 500, "api_error", false)),
        "a search cannot mislead");
    assertEquals(ReconcilePlan.Probe.RESEND, ReconcilePlan.next(create, new ReconcileState(0, 1, 500, "api_error", false)));
    Call unreadable = call("POST", "/v1/refunds", metadata(true));
    assertEquals(ReconcilePlan.Probe.RESEND, ReconcilePlan.next(unreadable, new ReconcileState(0, 0, 500, "api_error", false)));
  }

  @Test
  void onlyADefiniteAnswerEndsTheReconciliation() {
    Call confirm = call("POST", "/v1/payment_intents/pi_1/confirm", metadata(true));
    StripeAnswer replayed500 = error(500, true);
    StripeAnswer declined = error(402, false);
    StripeAnswer intent = new StripeAnswer(true, 200, RawJson.object("{\"id\":\"pi_1\",\"status\":\"succeeded\"}"), "req");

    assertFalse(ReconcilePlan.judge(ReconcilePlan.Probe.RESEND, confirm, replayed500).definite());
    assertEquals("resent", ReconcilePlan.judge(ReconcilePlan.Probe.RESEND, confirm, declined).how());
    assertFalse(ReconcilePlan.judge(ReconcilePlan.Probe.RESEND, confirm, declined).success());
    ReconcilePlan.Verdict retrieved = ReconcilePlan.judge(ReconcilePlan.Probe.READ, confirm, intent);
    assertTrue(retrieved.success());
    assertEquals("retrieved", retrieved.how());
    assertTrue(ReconcilePlan.judge(ReconcilePlan.Probe.READ, confirm, error(404, false)).definite(),
        "the object is not there: the action failed");
    assertFalse(ReconcilePlan.judge(ReconcilePlan.Probe.READ, confirm, error(503, true)).definite());
    assertFalse(ReconcilePlan.judge(ReconcilePlan.Probe.READ, confirm, error(401, false)).definite(),
        "a read refused says nothing about the call");

    Call create = call("POST", "/v1/payment_intents", metadata(true));
    JsonObject page = new JsonObject().put("object", "search_result").put("data", new JsonArray());
    assertFalse(ReconcilePlan.judge(ReconcilePlan.Probe.READ, create,
        new StripeAnswer(true, 200, RawJson.object(page.encode()), "req")).definite(), "not found (yet)");
    page.getJsonArray("data").add(new JsonObject().put("id", "pi_9"));
    ReconcilePlan.Verdict found = ReconcilePlan.judge(ReconcilePlan.Probe.READ, create,
        new StripeAnswer(true, 200, RawJson.object(page.encode()), "req"));
    assertEquals("found", found.how());
    assertEquals("{\"id\":\"pi_9\"}", ((RawJson) found.body()).text());
  }

  @Test
  void getsAndDefiniteAnswersAreNotReconciled() {
    assertTrue(ReconcilePlan.needed(call("POST", "/v1/refunds", metadata(false)), error(500, true)));
    assertFalse(ReconcilePlan.needed(call("GET", "/v1/customers/cus_1", new JsonObject()), error(500, true)));
    assertFalse(ReconcilePlan.needed(call("POST", "/v1/refunds", metadata(false)), error(402, false)));
  }

  /** Whatever the last attempt was (a re-send or a look-up), the error flow gets an error envelope to read. */
  @Test
  void theEnvelopeOfAWindowSpentIsTheCallsLastUnknownAnswer() {
    ReconcileState state = new ReconcileState(1_000, 0, 500, "HTTP 500: An unknown error occurred", false)
        .looked().next(502, "HTTP 502: bad gateway", true).looked();
    JsonObject envelope = state.envelope();
    assertEquals("api_error", envelope.getJsonObject("error").getString("type"));
    assertEquals(502, envelope.getInteger("http_status"));
    assertTrue(envelope.getBoolean("outcome_unknown"));
    assertEquals(3, envelope.getJsonObject("reconcile").getInteger("attempts"));
    assertTrue(envelope.getJsonObject("error").getString("message").endsWith("HTTP 502: bad gateway"));
    JsonObject silent = new ReconcileState(1_000, 0, null, "no answer: timeout", false).looked().envelope();
    assertEquals("api_connection_error", silent.getJsonObject("error").getString("type"));
    assertNull(silent.getValue("http_status"));
  }

  private static StripeAnswer error(int status, boolean unknown) {
    return new StripeAnswer(false, status, new JsonObject().put("error", new JsonObject().put("type", "api_error"))
        .put("http_status", status).put("outcome_unknown", unknown), "req");
  }

  private static JsonObject metadata(boolean tagged) {
    JsonObject params = new JsonObject().put("amount", 100);
    return tagged ? params.put("metadata", new JsonObject().put("flowpay_call", "call_x_0")) : params;
  }

  private static Call call(String method, String path, JsonObject params) {
    return new Call("call_x_0", method, path, params, "key_x_0", "ok_flow", "error_flow", null, null, ORIGIN);
  }
}
