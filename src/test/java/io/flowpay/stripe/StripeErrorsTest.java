package io.flowpay.stripe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.MultiMap;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpClosedException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class StripeErrorsTest {

  private static MultiMap headers(String... namesAndValues) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return headers;
  }

  @Test
  void successAndClientErrorsAreNotRetryable() {
    for (int status : new int[] {200, 400, 401, 402, 403, 404}) {
      assertFalse(StripeErrors.retryable(status, headers()), "status " + status);
    }
  }

  @Test
  void conflictRateLimitAndServerErrorsAreRetryable() {
    for (int status : new int[] {409, 429, 500, 502, 503}) {
      assertTrue(StripeErrors.retryable(status, headers()), "status " + status);
    }
  }

  @Test
  void noAnswerIsRetryable() {
    assertTrue(StripeErrors.retryable(null, null));
  }

  @Test
  void stripeShouldRetryOverridesTheStatus() {
    assertTrue(StripeErrors.retryable(400, headers("Stripe-Should-Retry", "true")));
    assertFalse(StripeErrors.retryable(500, headers("stripe-should-retry", "false")));
    assertFalse(StripeErrors.retryable(409, headers("Stripe-Should-Retry", "false")));
  }

  @Test
  void retryAfterIsReadInSeconds() {
    assertEquals(7L, StripeErrors.retryAfterSeconds(headers("Retry-After", "7")));
    assertNull(StripeErrors.retryAfterSeconds(headers()));
    assertNull(StripeErrors.retryAfterSeconds(headers("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT")));
    assertNull(StripeErrors.retryAfterSeconds(null));
  }

  @Test
  void rateLimitAnswerCarriesRetryAfter() {
    StripeAnswer answer = StripeAnswers.fromHttp(429, headers("Retry-After", "3", "Request-Id", "req_1"),
        io.vertx.core.buffer.Buffer.buffer("{\"error\":{\"type\":\"invalid_request_error\",\"code\":\"rate_limit\"}}"));
    assertTrue(answer.retryable());
    assertEquals(3L, answer.retryAfterSeconds());
    assertEquals("rate_limit", answer.error().getString("code"));
  }

  @Test
  void connectionErrorsAreRetryableAndNotSent() {
    StripeAnswer refused = StripeAnswers.fromFailure("POST /v1/x", new ConnectException("Connection refused"));
    assertTrue(refused.retryable());
    assertFalse(refused.outcomeUnknown());
    assertFalse(StripeErrors.outcomeUnknown(new ConnectTimeoutException("connection timed out")));
    assertFalse(StripeErrors.outcomeUnknown(new VertxException(new ConnectException("refused"))));
  }

  @Test
  void timeoutsAndResetsAreRetryableWithUnknownOutcome() {
    StripeAnswer timedOut = StripeAnswers.fromFailure("POST /v1/x", new TimeoutException("timed out"));
    assertTrue(timedOut.retryable());
    assertTrue(timedOut.outcomeUnknown());
    assertEquals("api_connection_error", timedOut.error().getString("type"));
    assertTrue(StripeErrors.outcomeUnknown(new HttpClosedException("Connection was closed")));
  }
}
