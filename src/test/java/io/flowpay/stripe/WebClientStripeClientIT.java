package io.flowpay.stripe;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.common.ConsoleNotifier;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.flowpay.config.StripeOptions;
import io.flowpay.flow.Call;
import io.flowpay.standin.StripeFixtures;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every HTTP-client row, against WireMock as Stripe: what a flow sees, and what Stripe received. */
class WebClientStripeClientIT {

  private static final String KEY = "sk_test_it_not_a_real_key";
  private static final StripeFixtures FIXTURES = StripeFixtures.load();
  private static WireMockServer stripe;
  private static Vertx vertx;
  private static StripeOptions options;
  private static WebClientStripeClient client;

  @BeforeAll
  static void start() {
    stripe = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1")
        .notifier(new ConsoleNotifier(false)));
    stripe.start();
    vertx = Vertx.vertx();
    options = new StripeOptions(stripe.baseUrl(), "2025-01-27.acacia", 2_000, 1_000);
    client = new WebClientStripeClient(vertx, options, KEY);
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    stripe.stop();
  }

  @BeforeEach
  void reset() {
    stripe.resetAll();
  }

  static Call call(String method, String path, JsonObject params) {
    return new Call("call_" + System.nanoTime(), method, path, params, "idem_" + System.nanoTime(),
        "on_ok", "on_error", null, null, null);
  }

  static Call connectCall(String method, String path, JsonObject params, String account) {
    Call plain = call(method, path, params);
    return new Call(plain.callId(), method, path, params, plain.idempotencyKey(), "on_ok", "on_error", null, account, null);
  }

  private StripeAnswer send(Call call) throws Exception {
    return send(client, call);
  }

  static StripeAnswer send(StripeClient client, Call call) throws Exception {
    return client.send(call).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private static ResponseDefinitionBuilder stripeJson(int status, JsonObject body) {
    return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
        .withHeader("Request-Id", "req_" + status).withBody(body.encode());
  }

  private static JsonObject stripeError(String type, String message) {
    return new JsonObject().put("error", new JsonObject().put("type", type).put("message", message));
  }

  private LoggedRequest received() {
    List<LoggedRequest> requests = stripe.findAll(com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(anyUrl()));
    assertEquals(1, requests.size(), "requests Stripe received");
    return requests.get(0);
  }

  @Test
  void createSendsFormBodyAndStripeHeaders() throws Exception {
    JsonObject intent = FIXTURES.object("payment_intent");
    stripe.stubFor(post("/v1/payment_intents").willReturn(stripeJson(200, intent)));
    Call call = call("POST", "/v1/payment_intents", new JsonObject().put("amount", 2000).put("currency", "usd")
        .put("customer", "cus_123").put("metadata", new JsonObject().put("order_id", "o1")));

    StripeAnswer answer = send(call);

    assertTrue(answer.success());
    assertEquals(200, answer.httpStatus());
    assertEquals(intent, answer.json());
    assertEquals("req_200", answer.requestId());
    assertFalse(answer.retryable());
    LoggedRequest request = received();
    assertEquals("amount=2000&currency=usd&customer=cus_123&metadata[order_id]=o1", request.getBodyAsString());
    assertEquals("Bearer " + KEY, request.getHeader("Authorization"));
    assertEquals("2025-01-27.acacia", request.getHeader("Stripe-Version"));
    assertEquals(call.idempotencyKey(), request.getHeader("Idempotency-Key"));
    assertEquals("application/x-www-form-urlencoded", request.getHeader("Content-Type"));
    assertEquals("Flowpay/0.1", request.getHeader("User-Agent"));
    assertEquals("application/json", request.getHeader("Accept"));
    assertFalse(request.containsHeader("Stripe-Account"));
  }

  @Test
  void listSendsParamsInTheQueryString() throws Exception {
    JsonObject list = new JsonObject().put("object", "list").put("url", "/v1/payment_intents")
        .put("has_more", false).put("data", new JsonArray().add(FIXTURES.object("payment_intent")));
    stripe.stubFor(get(urlPathEqualTo("/v1/payment_intents")).willReturn(stripeJson(200, list)));

    StripeAnswer answer = send(call("GET", "/v1/payment_intents", new JsonObject().put("limit", 3)
        .put("customer", "cus_123").put("created", new JsonObject().put("gte", 1700000000))));

    assertTrue(answer.success());
    assertEquals(1, answer.json().getJsonArray("data").size());
    LoggedRequest request = received();
    assertEquals("/v1/payment_intents?limit=3&customer=cus_123&created[gte]=1700000000", request.getUrl());
    assertEquals("", request.getBodyAsString());
    assertFalse(request.containsHeader("Idempotency-Key"), "GET carries no idempotency key");
  }

  @Test
  void connectAccountIsSentAsStripeAccountHeader() throws Exception {
    stripe.stubFor(post("/v1/customers").willReturn(stripeJson(200, FIXTURES.object("customer"))));

    StripeAnswer answer = send(connectCall("POST", "/v1/customers", new JsonObject().put("email", "a@example.com"),
        "acct_1Connected"));

    assertTrue(answer.success());
    assertEquals("acct_1Connected", received().getHeader("Stripe-Account"));
    assertEquals("email=a%40example.com", received().getBodyAsString());
  }

  @Test
  void arraysOfObjectsAreIndexed() throws Exception {
    stripe.stubFor(post("/v1/checkout/sessions").willReturn(stripeJson(200, FIXTURES.object("checkout.session"))));
    JsonArray items = new JsonArray()
        .add(new JsonObject().put("price", "price_1").put("quantity", 2))
        .add(new JsonObject().put("price", "price_2").put("quantity", 1));

    StripeAnswer answer = send(call("POST", "/v1/checkout/sessions", new JsonObject().put("mode", "payment")
        .put("line_items", items).put("payment_method_types", new JsonArray().add("card"))));

    assertTrue(answer.success());
    assertEquals("mode=payment&line_items[0][price]=price_1&line_items[0][quantity]=2"
        + "&line_items[1][price]=price_2&line_items[1][quantity]=1&payment_method_types[0]=card",
        received().getBodyAsString());
  }

  @Test
  void cardDeclinedGivesStripesEnvelope() throws Exception {
    JsonObject declined = stripeError("card_error", "Your card was declined.");
    declined.getJsonObject("error").put("code", "card_declined").put("decline_code", "generic_decline")
        .put("charge", "ch_1").put("payment_intent", FIXTURES.object("payment_intent"));
    stripe.stubFor(post("/v1/payment_intents/pi_1/confirm").willReturn(stripeJson(402, declined)));

    StripeAnswer answer = send(call("POST", "/v1/payment_intents/pi_1/confirm",
        new JsonObject().put("payment_method", "pm_card_chargeDeclined")));

    assertFalse(answer.success());
    JsonObject envelope = answer.json();
    assertEquals(declined.getJsonObject("error"), envelope.getJsonObject("error"), "every field Stripe sent");
    assertEquals(402, envelope.getInteger("http_status"));
    assertEquals("req_402", envelope.getString("request_id"));
    assertFalse(envelope.getBoolean("outcome_unknown"));
    assertFalse(answer.retryable());
  }

  @Test
  void invalidRequestKeepsTheParam() throws Exception {
    JsonObject invalid = stripeError("invalid_request_error", "Missing required param: amount.");
    invalid.getJsonObject("error").put("param", "amount");
    stripe.stubFor(post("/v1/payment_intents").willReturn(stripeJson(400, invalid)));

    StripeAnswer answer = send(call("POST", "/v1/payment_intents", new JsonObject().put("currency", "usd")));

    assertEquals("amount", answer.error().getString("param"));
    assertEquals("invalid_request_error", answer.error().getString("type"));
    assertEquals(400, answer.httpStatus());
    assertFalse(answer.retryable());
  }

  @Test
  void badKeyIsAnAuthenticationError() throws Exception {
    stripe.stubFor(any(anyUrl()).willReturn(stripeJson(401,
        stripeError("authentication_error", "Invalid API Key provided: sk_test_****dp7dc"))));

    StripeAnswer answer = send(call("GET", "/v1/customers/cus_1", null));

    assertEquals("authentication_error", answer.error().getString("type"));
    assertEquals(401, answer.json().getInteger("http_status"));
    assertFalse(answer.retryable());
  }

  @Test
  void serverErrorIsRetryableWithUnknownOutcome() throws Exception {
    stripe.stubFor(post("/v1/refunds").willReturn(stripeJson(500, stripeError("api_error", "Something went wrong."))));

    StripeAnswer answer = send(call("POST", "/v1/refunds", new JsonObject().put("payment_intent", "pi_1")));

    assertEquals("api_error", answer.error().getString("type"));
    assertEquals("Something went wrong.", answer.error().getString("message"));
    assertTrue(answer.retryable());
    assertTrue(answer.outcomeUnknown());
  }

  @Test
  void stripeShouldRetryFalseOverridesServerError() throws Exception {
    stripe.stubFor(post("/v1/refunds").willReturn(stripeJson(500, stripeError("api_error", "No."))
        .withHeader("Stripe-Should-Retry", "false")));

    StripeAnswer answer = send(call("POST", "/v1/refunds", new JsonObject().put("payment_intent", "pi_1")));

    assertFalse(answer.retryable());
  }

  @Test
  void rateLimitExposesRetryAfter() throws Exception {
    JsonObject limited = stripeError("invalid_request_error", "Too many requests.");
    limited.getJsonObject("error").put("code", "rate_limit");
    stripe.stubFor(post("/v1/customers").willReturn(stripeJson(429, limited).withHeader("Retry-After", "2")));

    StripeAnswer answer = send(call("POST", "/v1/customers", new JsonObject()));

    assertEquals(429, answer.httpStatus());
    assertEquals("rate_limit", answer.error().getString("code"));
    assertTrue(answer.retryable());
    assertEquals(2L, answer.retryAfterSeconds());
  }

  @Test
  void refusedConnectionIsNotSent() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    WebClientStripeClient refused = new WebClientStripeClient(vertx, options.withApiBase("http://127.0.0.1:" + closedPort), KEY);

    StripeAnswer answer = send(refused, call("POST", "/v1/customers", new JsonObject()));

    refused.close();
    JsonObject envelope = answer.json();
    assertEquals("api_connection_error", answer.error().getString("type"));
    assertTrue(answer.error().getString("message").contains("Connection refused"), answer.error().getString("message"));
    assertTrue(envelope.containsKey("http_status"));
    assertNull(envelope.getValue("http_status"));
    assertFalse(envelope.getBoolean("outcome_unknown"));
    assertTrue(answer.retryable());
  }

  @Test
  void silentAnswerPastTheTimeoutHasUnknownOutcome() throws Exception {
    stripe.stubFor(post("/v1/payment_intents").willReturn(stripeJson(200, FIXTURES.object("payment_intent"))
        .withFixedDelay(5_000)));

    StripeAnswer answer = send(call("POST", "/v1/payment_intents", new JsonObject().put("amount", 2000)));

    assertFalse(answer.success());
    assertEquals("api_connection_error", answer.error().getString("type"));
    assertTrue(answer.outcomeUnknown());
    assertNull(answer.httpStatus());
    assertTrue(answer.retryable());
  }

  @Test
  void tricklingAnswerIsBoundedAsAWhole() throws Exception {
    // Data keeps arriving (never idle for the timeout), but the whole answer takes longer than it.
    stripe.stubFor(post("/v1/payment_intents").willReturn(stripeJson(200, FIXTURES.object("payment_intent"))
        .withChunkedDribbleDelay(20, 4_000)));

    StripeAnswer answer = send(call("POST", "/v1/payment_intents", new JsonObject().put("amount", 2000)));

    assertEquals("api_connection_error", answer.error().getString("type"));
    assertTrue(answer.outcomeUnknown());
  }

  @Test
  void connectionResetHasUnknownOutcome() throws Exception {
    stripe.stubFor(post("/v1/payment_intents").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

    StripeAnswer answer = send(call("POST", "/v1/payment_intents", new JsonObject().put("amount", 2000)));

    assertEquals("api_connection_error", answer.error().getString("type"));
    assertTrue(answer.outcomeUnknown());
    assertTrue(answer.retryable());
  }

  @Test
  void malformedJsonOn200IsAnApiError() throws Exception {
    stripe.stubFor(post("/v1/customers").willReturn(aResponse().withStatus(200).withBody("{\"id\": \"cus_1\", oops")));

    StripeAnswer answer = send(call("POST", "/v1/customers", new JsonObject()));

    assertFalse(answer.success());
    assertEquals("api_error", answer.error().getString("type"));
    assertEquals(200, answer.httpStatus());
    String message = answer.error().getString("message");
    assertTrue(message.contains("HTTP 200") && message.contains("{\"id\": \"cus_1\", oops"), message);
  }

  @Test
  void nonStripeErrorBodyIsAnApiErrorWithAnExcerpt() throws Exception {
    String html = "<html><body>" + "Bad gateway ".repeat(50) + "</body></html>";
    stripe.stubFor(post("/v1/customers").willReturn(aResponse().withStatus(502).withBody(html)));

    StripeAnswer answer = send(call("POST", "/v1/customers", new JsonObject()));

    assertEquals("api_error", answer.error().getString("type"));
    String message = answer.error().getString("message");
    assertTrue(message.contains("HTTP 502") && message.contains("<html><body>Bad gateway"), message);
    assertTrue(message.length() < 400, "at most ~200 chars of the body: " + message.length());
    assertTrue(answer.retryable());
  }

  @Test
  void theSecretKeyIsNotInToString() {
    assertFalse(client.toString().contains(KEY), client.toString());
    assertFalse(client.toString().contains("sk_test"), client.toString());
  }
}
