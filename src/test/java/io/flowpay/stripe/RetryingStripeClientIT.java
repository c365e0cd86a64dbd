package io.flowpay.stripe;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.common.ConsoleNotifier;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.flowpay.config.StripeOptions;
import io.flowpay.flow.Call;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retries as Stripe sees them: how many requests, with which key, and what the flow finally gets. */
class RetryingStripeClientIT {

  private static final String PATH = "/v1/payment_intents";
  private static WireMockServer stripe;
  private static Vertx vertx;
  private static StripeClient client;

  @BeforeAll
  static void start() {
    stripe = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1")
        .notifier(new ConsoleNotifier(false)));
    stripe.start();
    vertx = Vertx.vertx();
    StripeOptions options = new StripeOptions(stripe.baseUrl(), "2026-07-29.dahlia", 2_000, 5_000)
        .withRetries(3, 20, 100, 30_000);
    client = new RetryingStripeClient(vertx, new WebClientStripeClient(vertx, options, "sk_test_retry_it"), options);
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
    stripe.stop();
  }

  @BeforeEach
  void reset() {
    stripe.resetAll();
  }

  @Test
  void twoServerErrorsThenSuccessGiveOneAnswerFromThreeRequestsWithOneKey() {
    answerInTurn(error(500, "api_error"), error(500, "api_error"), ok());

    StripeAnswer answer = client.send(call("idem_500_500_200")).await();

    assertTrue(answer.success());
    assertEquals("pi_retry", answer.json().getString("id"));
    assertEquals(List.of("idem_500_500_200", "idem_500_500_200", "idem_500_500_200"), keys());
  }

  @Test
  void budgetSpentGivesTheLastErrorWithTheAttemptCount() {
    stripe.stubFor(post(urlPathEqualTo(PATH)).willReturn(error(503, "api_error")));

    StripeAnswer answer = client.send(call("idem_budget")).await();

    assertFalse(answer.success());
    JsonObject envelope = answer.json();
    assertEquals(503, envelope.getInteger("http_status"));
    assertEquals(3, envelope.getInteger("attempts"));
    assertEquals(3, keys().size());
  }

  @Test
  void stripeShouldRetryFalseStopsAtTheFirstAnswer() {
    stripe.stubFor(post(urlPathEqualTo(PATH)).willReturn(error(500, "api_error").withHeader("Stripe-Should-Retry", "false")));

    StripeAnswer answer = client.send(call("idem_no_retry")).await();

    assertEquals(1, answer.json().getInteger("attempts"));
    assertEquals(1, keys().size());
  }

  @Test
  void cardDeclinedIsNotRetried() {
    stripe.stubFor(post(urlPathEqualTo(PATH)).willReturn(error(402, "card_error")));

    StripeAnswer answer = client.send(call("idem_declined")).await();

    assertEquals("card_error", answer.error().getString("type"));
    assertEquals(1, keys().size());
  }

  @Test
  void rateLimitWaitsAtLeastRetryAfter() {
    answerInTurn(error(429, "rate_limit_error").withHeader("Retry-After", "1"), ok());

    StripeAnswer answer = client.send(call("idem_429")).await();

    assertTrue(answer.success());
    List<LoggedRequest> requests = requests();
    long waited = requests.get(1).getLoggedDate().getTime() - requests.get(0).getLoggedDate().getTime();
    assertTrue(waited >= 950, "second request came " + waited + " ms after the first, before Retry-After: 1");
  }

  @Test
  void stripeShouldRetryTrueRetriesEvenAClientError() {
    answerInTurn(error(400, "invalid_request_error").withHeader("Stripe-Should-Retry", "true"), ok());

    StripeAnswer answer = client.send(call("idem_should_retry")).await();

    assertTrue(answer.success());
    assertEquals(List.of("idem_should_retry", "idem_should_retry"), keys());
  }

  @Test
  void answerSlowerThanTheTimeoutIsRetriedThenReportedAsOutcomeUnknown() {
    StripeOptions quick = new StripeOptions(stripe.baseUrl(), "2026-07-29.dahlia", 2_000, 200).withRetries(3, 20, 100, 30_000);
    StripeClient impatient = new RetryingStripeClient(vertx, new WebClientStripeClient(vertx, quick, "sk_test_retry_it"), quick);
    stripe.stubFor(post(urlPathEqualTo(PATH)).willReturn(ok().withFixedDelay(1_000)));

    StripeAnswer answer = impatient.send(call("idem_slow")).await();

    assertFalse(answer.success());
    JsonObject envelope = answer.json();
    assertEquals("api_connection_error", envelope.getJsonObject("error").getString("type"));
    assertEquals(true, envelope.getBoolean("outcome_unknown"), envelope.encode());
    assertEquals(3, envelope.getInteger("attempts"));
    assertEquals(List.of("idem_slow", "idem_slow", "idem_slow"), keys());
  }

  private static void answerInTurn(ResponseDefinitionBuilder... answers) {
    String state = Scenario.STARTED;
    for (int i = 0; i < answers.length; i++) {
      String next = "answer " + (i + 1);
      stripe.stubFor(post(urlPathEqualTo(PATH)).inScenario("in turn").whenScenarioStateIs(state)
          .willReturn(answers[i]).willSetStateTo(next));
      state = next;
    }
  }

  private static ResponseDefinitionBuilder ok() {
    return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
        .withBody(new JsonObject().put("id", "pi_retry").put("object", "payment_intent").encode());
  }

  private static ResponseDefinitionBuilder error(int status, String type) {
    return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
        .withBody(new JsonObject().put("error", new JsonObject().put("type", type).put("message", "try later")).encode());
  }

  private static Call call(String key) {
    return new Call("call_" + key, "POST", PATH, new JsonObject().put("amount", 2000).put("currency", "usd"), key,
        "on_ok", "on_error", null, null, null);
  }

  private static List<LoggedRequest> requests() {
    List<LoggedRequest> requests = new java.util.ArrayList<>(stripe.findAll(postRequestedFor(urlPathEqualTo(PATH))));
    requests.sort(java.util.Comparator.comparing(LoggedRequest::getLoggedDate));
    return requests;
  }

  private static List<String> keys() {
    return requests().stream().map(request -> request.getHeader("Idempotency-Key")).toList();
  }
}
