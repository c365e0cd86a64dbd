package io.flowpay.stripe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flowpay.config.StripeOptions;
import io.flowpay.metrics.FlowMetrics;
import org.junit.jupiter.api.Test;

class RetryingStripeClientTest {

  private static final StripeOptions OPTIONS = new StripeOptions().withRetries(5, 500, 5_000, 60_000);

  @Test
  void delayDoublesPerAttemptWithinJitterAndIsCapped() {
    RetryingStripeClient lowest = new RetryingStripeClient(null, null, OPTIONS, new FlowMetrics(), () -> 0.0);
    RetryingStripeClient highest = new RetryingStripeClient(null, null, OPTIONS, new FlowMetrics(), () -> 1.0);
    assertEquals(250, lowest.delayMs(1, null));
    assertEquals(500, highest.delayMs(1, null));
    assertEquals(1_000, highest.delayMs(2, null));
    assertEquals(2_000, highest.delayMs(3, null));
    assertEquals(5_000, highest.delayMs(5, null), "capped at maxRetryDelayMs");
  }

  @Test
  void retryAfterWinsWhenLonger() {
    RetryingStripeClient client = new RetryingStripeClient(null, null, OPTIONS, new FlowMetrics(), () -> 1.0);
    assertEquals(30_000, client.delayMs(1, 30L));
    assertEquals(1_000, client.delayMs(2, 0L), "a Retry-After shorter than the back-off does not shorten it");
  }
}
