package io.flowpay.config;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * The fleet's Stripe rate budget ({@code stripe.rateLimit}): one token bucket per Stripe account (and per
 * {@code Stripe-Account} for Connect calls) kept in Redis and shared by every process. A call takes a token
 * before it is sent, or waits (a timer) until its token is due.
 *
 * @param opsPerSecond tokens per second; {@link #BY_KEY} = Stripe's own default for the key (25 for a test-mode key
 *     {@code sk_test_}/{@code rk_test_}, 100 for a live one); 0 = no budget (each call is sent at once)
 * @param burst tokens that may be taken at once after a quiet spell; {@link #BY_KEY} = a fifth of a second's worth
 * @param maxWaitMs longest one call waits for its token; a call that would wait longer is not sent and answers
 *     a retryable {@code rate_budget_exhausted} error (the retry policy sends it again later, within its deadline)
 * @param maxQueued calls of one process that may wait for a token at once; beyond it, calls answer that error at once
 */
public record StripeRateLimit(int opsPerSecond, int burst, int maxWaitMs, int maxQueued) {

  public static final int BY_KEY = -1;
  public static final int TEST_MODE_OPS_PER_SECOND = 25;
  public static final int LIVE_OPS_PER_SECOND = 100;
  public static final int DEFAULT_MAX_WAIT_MS = 10_000;
  public static final int DEFAULT_MAX_QUEUED = 10_000;
  private static final Set<String> KEYS = Set.of("opsPerSecond", "burst", "maxWaitMs", "maxQueued");

  public StripeRateLimit() {
    this(BY_KEY, BY_KEY, DEFAULT_MAX_WAIT_MS, DEFAULT_MAX_QUEUED);
  }

  /** Reads {@code stripe.rateLimit}; fails naming the key. */
  public StripeRateLimit(JsonObject json) {
    this(new ConfigReader(json, "stripe.rateLimit"));
  }

  private StripeRateLimit(ConfigReader config) {
    this(config.integer("opsPerSecond", BY_KEY, 0, 100_000), config.integer("burst", BY_KEY, 1, 100_000),
        config.integer("maxWaitMs", DEFAULT_MAX_WAIT_MS, 0, 3_600_000),
        config.integer("maxQueued", DEFAULT_MAX_QUEUED, 1, 1_000_000));
  }

  /** Rejects a misspelt key, which would otherwise be ignored and its default used. */
  static StripeRateLimit read(Object value) {
    if (value == null) {
      return new StripeRateLimit();
    }
    ConfigReader config = new ConfigReader(null, "stripe");
    if (!(value instanceof JsonObject json)) {
      throw config.invalid("rateLimit", "must be an object, e.g. {\"opsPerSecond\": 100, \"burst\": 20}"
          + " ({\"opsPerSecond\": 0} turns the budget off)");
    }
    for (String key : json.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw config.invalid("rateLimit." + key, "is not a known key (known: " + String.join(", ",
            KEYS.stream().sorted().toList()) + ")");
      }
    }
    return new StripeRateLimit(json);
  }

  public boolean enabled() {
    return opsPerSecond != 0;
  }

  /** Tokens per second for a secret key: the configured rate, or Stripe's default for the key's mode. */
  public int opsPerSecondFor(boolean testMode) {
    if (opsPerSecond != BY_KEY) {
      return opsPerSecond;
    }
    return testMode ? TEST_MODE_OPS_PER_SECOND : LIVE_OPS_PER_SECOND;
  }

  /** The bucket's size at {@code rate} tokens per second. */
  public int burstFor(int rate) {
    return burst != BY_KEY ? burst : Math.max(1, (rate + 4) / 5);
  }

  public StripeRateLimit withRate(int newOpsPerSecond, int newBurst) {
    return new StripeRateLimit(newOpsPerSecond, newBurst, maxWaitMs, maxQueued);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("maxWaitMs", maxWaitMs).put("maxQueued", maxQueued);
    if (opsPerSecond != BY_KEY) {
      json.put("opsPerSecond", opsPerSecond);
    }
    return burst == BY_KEY ? json : json.put("burst", burst);
  }
}
