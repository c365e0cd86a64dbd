package io.flowpay.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.config.StripeOptions;
import io.flowpay.flow.Call;
import io.flowpay.stripe.StripeAnswer;
import io.flowpay.stripe.WebClientStripeClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stand-in, driven the way {@code flowpay demo} drives it: through {@link WebClientStripeClient}. */
class StripeStandInIT {

  private StripeStandIn standIn;
  private Vertx vertx;
  private WebClientStripeClient client;

  @BeforeEach
  void start() {
    standIn = StripeStandIn.start();
    vertx = Vertx.vertx();
    client = new WebClientStripeClient(vertx, new StripeOptions().withApiBase(standIn.baseUrl()), "sk_test_demo");
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    standIn.close();
  }

  private StripeAnswer send(String method, String path, JsonObject params) throws Exception {
    return send(method, path, params, UUID.randomUUID().toString());
  }

  private StripeAnswer send(String method, String path, JsonObject params, String idempotencyKey) throws Exception {
    return client.send(new Call("call_1", method, path, params, idempotencyKey, "on_ok", "on_error", null, null, null))
        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private JsonObject createIntent() throws Exception {
    StripeAnswer created = send("POST", "/v1/payment_intents", new JsonObject().put("amount", 2000)
        .put("currency", "usd").put("customer", "cus_123").put("description", "Order o1")
        .put("metadata", new JsonObject().put("order_id", "o1")));
    assertTrue(created.success(), () -> String.valueOf(created.body()));
    return created.json();
  }

  @Test
  void createdIntentEchoesTheFormLikeStripe() throws Exception {
    JsonObject intent = createIntent();

    assertTrue(intent.getString("id").startsWith("pi_"), intent.getString("id"));
    assertEquals("payment_intent", intent.getString("object"));
    assertEquals(2000L, intent.getLong("amount"));
    assertEquals("usd", intent.getString("currency"));
    assertEquals("cus_123", intent.getString("customer"));
    assertEquals("Order o1", intent.getString("description"));
    assertEquals(new JsonObject().put("order_id", "o1"), intent.getJsonObject("metadata"));
    assertEquals("requires_payment_method", intent.getString("status"));
    assertFalse(intent.getBoolean("livemode"));
    assertTrue(intent.getLong("created") > 1_700_000_000L);
  }

  @Test
  void confirmWithVisaSucceeds() throws Exception {
    JsonObject intent = createIntent();

    StripeAnswer confirmed = send("POST", "/v1/payment_intents/" + intent.getString("id") + "/confirm",
        new JsonObject().put("payment_method", "pm_card_visa"));
    StripeAnswer retrieved = send("GET", "/v1/payment_intents/" + intent.getString("id"), null);

    assertTrue(confirmed.success(), () -> String.valueOf(confirmed.body()));
    assertEquals("succeeded", confirmed.json().getString("status"));
    assertEquals(2000L, confirmed.json().getLong("amount_received"));
    assertEquals("succeeded", retrieved.json().getString("status"));
    assertTrue(confirmed.requestId().startsWith("req_"), confirmed.requestId());
  }

  @Test
  void confirmWithDeclinedCardIs402CardDeclined() throws Exception {
    JsonObject intent = createIntent();

    StripeAnswer declined = send("POST", "/v1/payment_intents/" + intent.getString("id") + "/confirm",
        new JsonObject().put("payment_method", "pm_card_chargeDeclined"));

    assertFalse(declined.success());
    assertEquals(402, declined.httpStatus());
    JsonObject error = declined.error();
    assertEquals("card_error", error.getString("type"));
    assertEquals("card_declined", error.getString("code"));
    assertEquals("generic_decline", error.getString("decline_code"));
    assertEquals("Your card was declined.", error.getString("message"));
    assertEquals(intent.getString("id"), error.getJsonObject("payment_intent").getString("id"));
    assertEquals("requires_payment_method", error.getJsonObject("payment_intent").getString("status"));
    assertNotNull(declined.json().getString("request_id"));
  }

  @Test
  void sameIdempotencyKeyReplaysTheFirstAnswer() throws Exception {
    JsonObject params = new JsonObject().put("amount", 500).put("currency", "eur");
    String key = "flowpay-" + UUID.randomUUID();

    StripeAnswer first = send("POST", "/v1/payment_intents", params, key);
    StripeAnswer again = send("POST", "/v1/payment_intents", params, key);

    assertTrue(first.success());
    assertEquals(first.httpStatus(), again.httpStatus());
    assertEquals(first.json(), again.json());
    assertNotEquals(first.requestId(), again.requestId());
    assertEquals(1, standIn.objectCount(), "one payment intent created");
    assertEquals(2, standIn.requestCount());
  }

  @Test
  void sameIdempotencyKeyWithOtherParamsIsAnIdempotencyError() throws Exception {
    String key = "flowpay-" + UUID.randomUUID();
    send("POST", "/v1/payment_intents", new JsonObject().put("amount", 500).put("currency", "eur"), key);

    StripeAnswer other = send("POST", "/v1/payment_intents", new JsonObject().put("amount", 999).put("currency", "eur"), key);

    assertEquals(400, other.httpStatus());
    assertEquals("idempotency_error", other.error().getString("type"));
    assertEquals(1, standIn.objectCount());
  }

  @Test
  void unknownPathIsStripes404() throws Exception {
    StripeAnswer answer = send("POST", "/v1/x", new JsonObject());

    assertEquals(404, answer.httpStatus());
    assertEquals("invalid_request_error", answer.error().getString("type"));
    assertTrue(answer.error().getString("message").startsWith("Unrecognized request URL (POST: /v1/x)."),
        answer.error().getString("message"));
  }

  @Test
  void missingAmountIs400NamingTheParam() throws Exception {
    StripeAnswer answer = send("POST", "/v1/payment_intents", new JsonObject().put("currency", "usd"));

    assertEquals(400, answer.httpStatus());
    assertEquals("invalid_request_error", answer.error().getString("type"));
    assertEquals("amount", answer.error().getString("param"));
    assertEquals("Missing required param: amount.", answer.error().getString("message"));
    assertEquals(0, standIn.objectCount());
  }

  @Test
  void unknownIntentIsResourceMissing() throws Exception {
    StripeAnswer answer = send("GET", "/v1/payment_intents/pi_nope", null);

    assertEquals(404, answer.httpStatus());
    assertEquals("resource_missing", answer.error().getString("code"));
  }

  @Test
  void actionsOnAnUnknownIntentAreResourceMissingAndConfirmingTwiceIsRefused() throws Exception {
    for (String action : new String[] {"confirm", "capture", "cancel"}) {
      StripeAnswer answer = send("POST", "/v1/payment_intents/pi_nope/" + action, new JsonObject());
      assertEquals(404, answer.httpStatus(), action);
      assertEquals("resource_missing", answer.error().getString("code"), action);
    }
    String id = createIntent().getString("id");
    send("POST", "/v1/payment_intents/" + id + "/confirm", new JsonObject().put("payment_method", "pm_card_visa"));

    StripeAnswer again = send("POST", "/v1/payment_intents/" + id + "/confirm", new JsonObject().put("payment_method", "pm_card_visa"));

    assertEquals(400, again.httpStatus());
    assertEquals("payment_intent_unexpected_state", again.error().getString("code"));
  }

  @Test
  void customerAndRefundRoundTrip() throws Exception {
    JsonObject customer = send("POST", "/v1/customers", new JsonObject().put("email", "a@example.com")).json();
    JsonObject fetched = send("GET", "/v1/customers/" + customer.getString("id"), null).json();
    JsonObject intent = createIntent();
    send("POST", "/v1/payment_intents/" + intent.getString("id") + "/confirm",
        new JsonObject().put("payment_method", "pm_card_visa"));

    StripeAnswer refund = send("POST", "/v1/refunds", new JsonObject().put("payment_intent", intent.getString("id")));

    assertEquals("a@example.com", fetched.getString("email"));
    assertTrue(refund.success(), () -> String.valueOf(refund.body()));
    assertEquals(2000L, refund.json().getLong("amount"));
    assertEquals(intent.getString("id"), refund.json().getString("payment_intent"));
  }

  @Test
  void manualCaptureThenCapture() throws Exception {
    StripeAnswer created = send("POST", "/v1/payment_intents", new JsonObject().put("amount", 700)
        .put("currency", "usd").put("capture_method", "manual").put("payment_method", "pm_card_visa"));
    String id = created.json().getString("id");

    StripeAnswer confirmed = send("POST", "/v1/payment_intents/" + id + "/confirm", new JsonObject());
    StripeAnswer captured = send("POST", "/v1/payment_intents/" + id + "/capture", new JsonObject());
    StripeAnswer canceled = send("POST", "/v1/payment_intents/" + id + "/cancel", new JsonObject());

    assertEquals("requires_confirmation", created.json().getString("status"));
    assertEquals("requires_capture", confirmed.json().getString("status"));
    assertEquals("succeeded", captured.json().getString("status"));
    assertEquals("payment_intent_unexpected_state", canceled.error().getString("code"));
  }

  @Test
  void refundBeyondWhatWasPaidIsRefused() throws Exception {
    JsonObject intent = createIntent();
    send("POST", "/v1/payment_intents/" + intent.getString("id") + "/confirm",
        new JsonObject().put("payment_method", "pm_card_visa"));
    JsonObject refund = new JsonObject().put("payment_intent", intent.getString("id")).put("amount", 1500);

    StripeAnswer first = send("POST", "/v1/refunds", refund);
    StripeAnswer second = send("POST", "/v1/refunds", refund);

    assertTrue(first.success(), () -> String.valueOf(first.body()));
    assertEquals(400, second.httpStatus());
    assertEquals("amount_too_large", second.error().getString("code"));
    assertEquals("amount", second.error().getString("param"));
  }

  @Test
  void everyGenericResourceIsCreatedRetrievedUpdatedAndListed() throws Exception {
    String[][] kinds = {
        {"setup_intents", "setup_intent", "seti_"}, {"payment_methods", "payment_method", "pm_"},
        {"products", "product", "prod_"}, {"prices", "price", "price_"}, {"coupons", "coupon", ""},
        {"promotion_codes", "promotion_code", "promo_"}, {"subscriptions", "subscription", "sub_"},
        {"subscription_items", "subscription_item", "si_"}, {"invoices", "invoice", "in_"},
        {"checkout/sessions", "checkout.session", "cs_test_"},
        {"billing_portal/sessions", "billing_portal.session", "bps_"}, {"invoiceitems", "invoiceitem", "ii_"},
        {"subscription_schedules", "subscription_schedule", "sub_sched_"}, {"credit_notes", "credit_note", "cn_"},
        {"payment_links", "payment_link", "plink_"}, {"tax_rates", "tax_rate", "txr_"},
        {"accounts", "account", "acct_"}, {"transfers", "transfer", "tr_"}};
    for (String[] kind : kinds) {
      String base = "/v1/" + kind[0];
      JsonObject created = ok(send("POST", base, new JsonObject().put("customer", "cus_1")
          .put("metadata", new JsonObject().put("a", "1").put("b", "2")).put("line_items", new JsonArray().add(1))));
      String id = created.getString("id");
      JsonObject updated = ok(send("POST", base + "/" + id,
          new JsonObject().put("metadata", new JsonObject().put("a", "").put("c", "3"))));
      JsonObject retrieved = ok(send("GET", base + "/" + id, new JsonObject().put("expand", new JsonArray().add("x"))));
      JsonObject list = ok(send("GET", base, new JsonObject().put("limit", 5)));

      assertTrue(id.startsWith(kind[2]) && id.length() > kind[2].length() + 5, id);
      assertEquals(kind[1], created.getString("object"), kind[0]);
      if (created.containsKey("customer")) {
        assertEquals("cus_1", created.getString("customer"), kind[0]);
      }
      assertEquals(new JsonObject().put("b", "2").put("c", "3"), updated.getJsonObject("metadata"), kind[0]);
      assertEquals(updated, retrieved, kind[0]);
      assertEquals("list", list.getString("object"));
      assertEquals(base, list.getString("url"));
      assertEquals(List.of(id), list.getJsonArray("data").stream().map(o -> ((JsonObject) o).getString("id")).toList());
    }
    assertEquals(kinds.length, standIn.objectCount());
  }

  @Test
  void statusActionsChangeTheObjectLikeStripe() throws Exception {
    assertEquals(List.of("open", "paid"), statuses("/v1/invoices", "finalize", "pay"));
    assertEquals(List.of("void"), statuses("/v1/invoices", "void"));
    assertEquals(List.of("succeeded"), statuses("/v1/setup_intents", "confirm"));
    assertEquals(List.of("canceled"), statuses("/v1/setup_intents", "cancel"));
    assertEquals(List.of("active"), statuses("/v1/subscriptions", "resume"));
    assertEquals(List.of("expired"), statuses("/v1/checkout/sessions", "expire"));
    assertEquals(List.of("open", "open", "uncollectible"), statuses("/v1/invoices", "finalize", "send",
        "mark_uncollectible"));
    assertEquals(List.of("canceled"), statuses("/v1/subscription_schedules", "cancel"));
    assertEquals(List.of("released"), statuses("/v1/subscription_schedules", "release"));
    assertEquals(List.of("void"), statuses("/v1/credit_notes", "void"));
    String subscription = ok(send("POST", "/v1/subscriptions", new JsonObject())).getString("id");
    JsonObject canceled = ok(send("DELETE", "/v1/subscriptions/" + subscription, new JsonObject().put("prorate", true)));
    assertEquals("canceled", canceled.getString("status"));
    assertTrue(canceled.getLong("canceled_at") > 1_700_000_000L);

    String method = ok(send("POST", "/v1/payment_methods", new JsonObject().put("type", "card"))).getString("id");
    StripeAnswer noCustomer = send("POST", "/v1/payment_methods/" + method + "/attach", new JsonObject());
    JsonObject attached = ok(send("POST", "/v1/payment_methods/" + method + "/attach",
        new JsonObject().put("customer", "cus_9")));
    JsonObject detached = ok(send("POST", "/v1/payment_methods/" + method + "/detach", null));
    assertEquals("customer", noCustomer.error().getString("param"));
    assertEquals("cus_9", attached.getString("customer"));
    assertTrue(detached.containsKey("customer") && detached.getValue("customer") == null);
  }

  @Test
  void deleteRemovesAndUnknownIdsAndActionsAreStripes404() throws Exception {
    JsonObject customer = ok(send("POST", "/v1/customers", new JsonObject().put("email", "a@example.com")));
    String path = "/v1/customers/" + customer.getString("id");
    JsonObject updated = ok(send("POST", path, new JsonObject().put("name", "Ada").put("balance", 300)));
    JsonObject deleted = ok(send("DELETE", path, null));
    StripeAnswer gone = send("GET", path, null);
    StripeAnswer unknownCoupon = send("GET", "/v1/coupons/NOPE", null);
    String product = ok(send("POST", "/v1/products", new JsonObject().put("name", "T"))).getString("id");
    StripeAnswer unknownAction = send("POST", "/v1/products/" + product + "/explode", new JsonObject());

    assertEquals("Ada", updated.getString("name"));
    assertEquals(300L, updated.getLong("balance"));
    assertEquals(new JsonObject().put("id", customer.getString("id")).put("object", "customer").put("deleted", true),
        deleted);
    assertEquals(404, gone.httpStatus());
    assertEquals("resource_missing", gone.error().getString("code"));
    assertEquals("No such coupon: 'NOPE'", unknownCoupon.error().getString("message"));
    assertEquals(404, unknownAction.httpStatus());
    assertTrue(unknownAction.error().getString("message").startsWith("Unrecognized request URL"));
    assertEquals(1, standIn.objectCount());
  }

  @Test
  void listAndSearchReadTheQueryStringNewestFirst() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(0, createIntent().getString("id"));
    }
    JsonObject page = ok(send("GET", "/v1/payment_intents", new JsonObject().put("limit", 2)));
    JsonObject found = ok(send("GET", "/v1/payment_intents/search",
        new JsonObject().put("query", "metadata['order_id']:'o1'")));
    JsonObject updated = ok(send("POST", "/v1/payment_intents/" + ids.get(0), new JsonObject().put("description", "x")));

    assertEquals(ids.subList(0, 2), page.getJsonArray("data").stream().map(o -> ((JsonObject) o).getString("id")).toList());
    assertTrue(page.getBoolean("has_more"));
    assertEquals("search_result", found.getString("object"));
    assertEquals(3, found.getJsonArray("data").size());
    assertEquals("x", updated.getString("description"));
    assertEquals("requires_payment_method", updated.getString("status"));
  }

  @Test
  void sessionsLinksEventsAndPreviewsAreAnsweredAndNotKept() throws Exception {
    JsonObject session = ok(send("POST", "/v1/customer_sessions", new JsonObject().put("customer", "cus_1")
        .put("components", new JsonObject().put("pricing_table", new JsonObject().put("enabled", true)))));
    JsonObject link = ok(send("POST", "/v1/account_links", new JsonObject().put("account", "acct_1")
        .put("type", "account_onboarding")));
    JsonObject event = ok(send("POST", "/v1/billing/meter_events", new JsonObject().put("event_name", "api_calls")
        .put("payload", new JsonObject().put("stripe_customer_id", "cus_1").put("value", "3"))));
    JsonObject invoice = ok(send("POST", "/v1/invoices/create_preview", new JsonObject().put("customer", "cus_1")));
    JsonObject creditNote = ok(send("GET", "/v1/credit_notes/preview", new JsonObject().put("invoice", "in_1")));

    assertEquals("customer_session", session.getString("object"));
    assertEquals("cus_1", session.getString("customer"));
    assertEquals("account_link", link.getString("object"));
    assertEquals("billing.meter_event", event.getString("object"));
    assertEquals("api_calls", event.getString("event_name"));
    assertEquals("invoice", invoice.getString("object"));
    assertEquals("cus_1", invoice.getString("customer"));
    assertEquals("credit_note", creditNote.getString("object"));
    assertEquals("in_1", creditNote.getString("invoice"));
    assertEquals(0, standIn.objectCount());
  }

  @Test
  void lineItemsAndIncrementedAuthorizationsAndUnknownDisputes() throws Exception {
    String session = ok(send("POST", "/v1/checkout/sessions", new JsonObject().put("mode", "payment"))).getString("id");
    JsonObject items = ok(send("GET", "/v1/checkout/sessions/" + session + "/line_items", new JsonObject()));
    StripeAnswer created = send("POST", "/v1/payment_intents", new JsonObject().put("amount", 700)
        .put("currency", "usd").put("capture_method", "manual").put("payment_method", "pm_card_visa"));
    String intent = created.json().getString("id");
    StripeAnswer early = send("POST", "/v1/payment_intents/" + intent + "/increment_authorization",
        new JsonObject().put("amount", 900));
    send("POST", "/v1/payment_intents/" + intent + "/confirm", new JsonObject());
    JsonObject raised = ok(send("POST", "/v1/payment_intents/" + intent + "/increment_authorization",
        new JsonObject().put("amount", 900)));
    StripeAnswer dispute = send("GET", "/v1/disputes/dp_nope", null);

    assertEquals("list", items.getString("object"));
    assertEquals("item", items.getJsonArray("data").getJsonObject(0).getString("object"));
    assertEquals("/v1/checkout/sessions/" + session + "/line_items", items.getString("url"));
    assertEquals("payment_intent_unexpected_state", early.error().getString("code"));
    assertEquals(900L, raised.getLong("amount"));
    assertEquals(900L, raised.getLong("amount_capturable"));
    assertEquals(404, dispute.httpStatus());
    assertEquals("No such dispute: 'dp_nope'", dispute.error().getString("message"));
  }

  private List<String> statuses(String base, String... actions) throws Exception {
    String id = ok(send("POST", base, new JsonObject())).getString("id");
    List<String> statuses = new ArrayList<>();
    for (String action : actions) {
      statuses.add(ok(send("POST", base + "/" + id + "/" + action, new JsonObject())).getString("status"));
    }
    return statuses;
  }

  private static JsonObject ok(StripeAnswer answer) {
    assertTrue(answer.success(), () -> answer.httpStatus() + " " + answer.body());
    return answer.json();
  }
}
