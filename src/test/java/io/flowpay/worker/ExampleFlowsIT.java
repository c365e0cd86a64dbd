package io.flowpay.worker;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.request;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.flowpay.FlowpayHarness.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.flowpay.FlowpayHarness;
import io.flowpay.TestRedis;
import io.flowpay.flow.Ids;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The examples in flows/examples, run as shipped: a real node and Redis, WireMock answering as Stripe. */
@ExtendWith(TestRedis.Extension.class)
class ExampleFlowsIT {

  private static FlowpayHarness flowpay;

  @BeforeAll
  static void start(TestRedis redis) {
    flowpay = new FlowpayHarness(redis, Path.of("flows"));
  }

  @AfterAll
  static void stop() {
    flowpay.close();
  }

  @BeforeEach
  void reset() {
    flowpay.stripe.resetAll();
  }

  @Test
  void signupWhoseFirstPaymentIsDeclinedEndsPaymentFailed() {
    stub("POST", "/v1/customers", 200, fixture("customer").put("id", "cus_ada"));
    stub("POST", "/v1/subscriptions", 402, decline("insufficient_funds"));
    String context = "signup-" + Ids.newId();

    List<JsonObject> runs = flowpay.settle(flowpay.start("examples/signup/start", context, new JsonObject()
        .put("email", "ada@example.com").put("name", "Ada").put("price", "price_123")
        .put("payment_method", "pm_card_chargeCustomerFail")));

    assertEquals(List.of("examples/signup/start ok", "examples/signup/customer_created ok", "examples/signup/failed ok"),
        flows(runs));
    JsonObject state = flowpay.state(context);
    assertEquals("payment_failed", state.getString("status"));
    assertEquals("insufficient_funds", state.getString("decline_code"));
    assertEquals("cus_ada", state.getString("customer"));
    String subscription = sent("/v1/subscriptions").get(0).getBodyAsString();
    assertTrue(subscription.startsWith("customer=cus_ada&items[0][price]=price_123&payment_behavior=error_if_incomplete"
        + "&expand[0]=latest_invoice&metadata[flowpay_worker]="), subscription);
  }

  @Test
  void refundOnRequestRefundsOnceWhenAskedTwice() {
    stub("POST", "/v1/refunds", 200, fixture("refund").put("status", "succeeded").put("amount", 500));
    String context = "order-" + Ids.newId();
    JsonObject ask = new JsonObject().put("payment_intent", "pi_1").put("amount", 500);

    flowpay.settle(flowpay.start("examples/refund/request", context, ask));
    List<JsonObject> again = flowpay.settle(flowpay.start("examples/refund/request", context, ask));

    assertEquals(1, sent("/v1/refunds").size());
    assertTrue(sent("/v1/refunds").get(0).getBodyAsString().startsWith("payment_intent=pi_1&amount=500"
        + "&reason=requested_by_customer"));
    assertEquals("succeeded", flowpay.state(context).getString("refund_status"));
    assertEquals("refund already succeeded for " + context + " - nothing to do",
        again.get(0).getJsonArray("logs").getJsonObject(0).getString("message"));
  }

  @Test
  void checkoutSessionIsPaidWhenItsCompletedEventArrives() {
    JsonObject session = fixture("checkout.session").put("id", "cs_test_1").put("url", "https://checkout.stripe.com/x");
    stub("POST", "/v1/checkout/sessions", 200, session);
    String context = "order-" + Ids.newId();

    flowpay.settle(flowpay.start("examples/checkout/start", context, new JsonObject().put("order_id", "o2")
        .put("amount", 2500).put("currency", "usd").put("item", "T-shirt")));
    String awaiting = flowpay.state(context).getString("status");
    JsonObject event = new JsonObject().put("id", "evt_1").put("type", "checkout.session.completed")
        .put("data", new JsonObject().put("object", session.copy().put("payment_status", "paid")
            .put("payment_intent", "pi_9").put("client_reference_id", "o2")));
    flowpay.settle(flowpay.start("examples/checkout/on_checkout_session_completed", context, event));

    assertEquals("awaiting_payment", awaiting);
    JsonObject state = flowpay.state(context);
    assertEquals("paid", state.getString("status"));
    assertEquals("pi_9", state.getString("payment_intent"));
    assertEquals("https://checkout.stripe.com/x", state.getString("checkout_url"));
    String body = sent("/v1/checkout/sessions").get(0).getBodyAsString();
    assertTrue(body.contains("&metadata[flowpay_context]=" + context), body);
  }

  @Test
  void dunningRetriesOnItsScheduleThenMarksTheInvoiceUncollectible() {
    stub("POST", "/v1/invoices/in_1/pay", 402, decline("card_declined"));
    stub("POST", "/v1/invoices/in_1/mark_uncollectible", 200, fixture("invoice").put("status", "uncollectible"));
    String context = "invoice-" + Ids.newId();

    List<JsonObject> runs = flowpay.settle(flowpay.start("examples/dunning/start", context,
        new JsonObject().put("invoice", "in_1").put("delays_ms", new JsonArray().add(10).add(20))));

    assertEquals(List.of("examples/dunning/start ok", "examples/dunning/retry ok", "examples/dunning/retry_failed ok",
        "examples/dunning/retry ok", "examples/dunning/retry_failed ok", "examples/dunning/checked ok"), flows(runs));
    assertEquals(2, sent("/v1/invoices/in_1/pay").size());
    assertEquals(1, sent("/v1/invoices/in_1/mark_uncollectible").size());
    JsonObject state = flowpay.state(context);
    assertEquals("uncollectible", state.getString("dunning_status"));
    assertEquals(2, state.getInteger("attempt"));
  }

  private static JsonObject decline(String code) {
    return new JsonObject().put("error", new JsonObject().put("type", "card_error").put("code", "card_declined")
        .put("decline_code", code).put("message", "Your card was declined."));
  }

  private static void stub(String method, String path, int status, JsonObject body) {
    flowpay.stripe.stubFor(request(method, urlPathEqualTo(path)).willReturn(status == 200 ? okJson(body.encode())
        : aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body.encode())));
  }

  private static List<LoggedRequest> sent(String path) {
    return flowpay.stripe.findAll(postRequestedFor(urlPathEqualTo(path)));
  }

  private static List<String> flows(List<JsonObject> runs) {
    return runs.stream().map(run -> run.getString("flow") + " " + run.getString("status")).toList();
  }
}
