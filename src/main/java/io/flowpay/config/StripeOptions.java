package io.flowpay.config;

import io.vertx.core.json.JsonObject;

/**
 * How Flowpay talks to Stripe. The secret key is never here: it comes from the
 * {@code STRIPE_SECRET_KEY} environment variable.
 *
 * @param apiBase e.g. {@code https://api.stripe.com}, or a local stand-in
 * @param apiVersion the pinned {@code Stripe-Version} header
 * @param connectTimeoutMs TCP connect timeout
 * @param timeoutMs time allowed for one whole request, after which its outcome is unknown
 * @param maxAttempts attempts per call for answers worth retrying (no answer, 409, 429, 5xx), 1 = no retry
 * @param retryDelayMs delay before the first retry; doubled each retry, with jitter
 * @param maxRetryDelayMs cap on one delay (a longer {@code Retry-After} from Stripe still wins)
 * @param retryDeadlineMs no retry starts later than this after the first attempt
 * @param maxConnections connections to Stripe per worker process; calls beyond it wait for one.
 *     With Stripe's latency this bounds calls/s at about maxConnections / latency
 * @param reconcileWindowMs how long a call whose outcome is unknown (no answer, an ambiguous 5xx) is
 *     reconciled (re-sent with its key, or looked up) before its error flow runs with
 *     {@code outcome_unknown}; inside Stripe's 24-hour idempotency-key retention
 * @param reconcileDelayMs wait before the first reconcile attempt; doubled each attempt, with jitter
 * @param maxReconcileDelayMs cap on one wait between reconcile attempts
 * @param rateLimit the fleet's rate budget per Stripe account, shared through Redis
 */
public record StripeOptions(String apiBase, String apiVersion, int connectTimeoutMs, int timeoutMs,
    int maxAttempts, int retryDelayMs, int maxRetryDelayMs, int retryDeadlineMs, int maxConnections,
    long reconcileWindowMs, int reconcileDelayMs, int maxReconcileDelayMs, StripeRateLimit rateLimit) {

  public static final String DEFAULT_API_BASE = "https://api.stripe.com";
  /** The version stripe-java 33.3.0 is generated against, so its typed models match the answers. */
  public static final String DEFAULT_API_VERSION = com.stripe.Stripe.API_VERSION;
  public static final int DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
  public static final int DEFAULT_TIMEOUT_MS = 30_000;
  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  public static final int DEFAULT_RETRY_DELAY_MS = 500;
  public static final int DEFAULT_MAX_RETRY_DELAY_MS = 5_000;
  public static final int DEFAULT_RETRY_DEADLINE_MS = 60_000;
  public static final int DEFAULT_MAX_CONNECTIONS = 64;
  /** 23 hours: an hour inside the 24 hours Stripe keeps an idempotency key's first answer. */
  public static final long DEFAULT_RECONCILE_WINDOW_MS = 23L * 3_600_000;
  public static final int DEFAULT_RECONCILE_DELAY_MS = 1_000;
  public static final int DEFAULT_MAX_RECONCILE_DELAY_MS = 300_000;

  public StripeOptions() {
    this(DEFAULT_API_BASE, DEFAULT_API_VERSION, DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_TIMEOUT_MS);
  }

  /** With the default retry policy. */
  public StripeOptions(String apiBase, String apiVersion, int connectTimeoutMs, int timeoutMs) {
    this(apiBase, apiVersion, connectTimeoutMs, timeoutMs, DEFAULT_MAX_ATTEMPTS, DEFAULT_RETRY_DELAY_MS,
        DEFAULT_MAX_RETRY_DELAY_MS, DEFAULT_RETRY_DEADLINE_MS, DEFAULT_MAX_CONNECTIONS, DEFAULT_RECONCILE_WINDOW_MS,
        DEFAULT_RECONCILE_DELAY_MS, DEFAULT_MAX_RECONCILE_DELAY_MS, new StripeRateLimit());
  }

  /** Reads the {@code stripe} section; fails naming the key. */
  public StripeOptions(JsonObject json) {
    this(new ConfigReader(json, "stripe"));
  }

  private StripeOptions(ConfigReader config) {
    this(config.string("apiBase", DEFAULT_API_BASE),
        config.string("apiVersion", DEFAULT_API_VERSION),
        config.integer("connectTimeoutMs", DEFAULT_CONNECT_TIMEOUT_MS, 1, 600_000),
        config.integer("timeoutMs", DEFAULT_TIMEOUT_MS, 1, 600_000),
        config.integer("maxAttempts", DEFAULT_MAX_ATTEMPTS, 1, 20),
        config.integer("retryDelayMs", DEFAULT_RETRY_DELAY_MS, 1, 600_000),
        config.integer("maxRetryDelayMs", DEFAULT_MAX_RETRY_DELAY_MS, 1, 600_000),
        config.integer("retryDeadlineMs", DEFAULT_RETRY_DEADLINE_MS, 0, 86_400_000),
        config.integer("maxConnections", DEFAULT_MAX_CONNECTIONS, 1, 10_000),
        config.integer("reconcileWindowMs", (int) DEFAULT_RECONCILE_WINDOW_MS, 1_000, 86_400_000),
        config.integer("reconcileDelayMs", DEFAULT_RECONCILE_DELAY_MS, 10, 3_600_000),
        config.integer("maxReconcileDelayMs", DEFAULT_MAX_RECONCILE_DELAY_MS, 10, 3_600_000),
        StripeRateLimit.read(config.value("rateLimit")));
    if (!apiBase.startsWith("http://") && !apiBase.startsWith("https://")) {
      throw config.invalid("apiBase", "must be an http(s) URL like \"https://api.stripe.com\" (got \"" + apiBase + "\")");
    }
  }

  public StripeOptions withApiBase(String base) {
    return new StripeOptions(base, apiVersion, connectTimeoutMs, timeoutMs, maxAttempts, retryDelayMs,
        maxRetryDelayMs, retryDeadlineMs, maxConnections, reconcileWindowMs, reconcileDelayMs, maxReconcileDelayMs,
        rateLimit);
  }

  public StripeOptions withRetries(int attempts, int delayMs, int maxDelayMs, int deadlineMs) {
    return new StripeOptions(apiBase, apiVersion, connectTimeoutMs, timeoutMs, attempts, delayMs, maxDelayMs, deadlineMs,
        maxConnections, reconcileWindowMs, reconcileDelayMs, maxReconcileDelayMs,
        rateLimit);
  }

  public StripeOptions withMaxConnections(int connections) {
    return new StripeOptions(apiBase, apiVersion, connectTimeoutMs, timeoutMs, maxAttempts, retryDelayMs,
        maxRetryDelayMs, retryDeadlineMs, connections, reconcileWindowMs, reconcileDelayMs, maxReconcileDelayMs,
        rateLimit);
  }

  public StripeOptions withTimeoutMs(int newTimeoutMs) {
    return new StripeOptions(apiBase, apiVersion, connectTimeoutMs, newTimeoutMs, maxAttempts, retryDelayMs,
        maxRetryDelayMs, retryDeadlineMs, maxConnections, reconcileWindowMs, reconcileDelayMs, maxReconcileDelayMs,
        rateLimit);
  }

  public StripeOptions withReconcile(long windowMs, int delayMs, int maxDelayMs) {
    return new StripeOptions(apiBase, apiVersion, connectTimeoutMs, timeoutMs, maxAttempts, retryDelayMs,
        maxRetryDelayMs, retryDeadlineMs, maxConnections, windowMs, delayMs, maxDelayMs, rateLimit);
  }

  public StripeOptions withRateLimit(StripeRateLimit newRateLimit) {
    return new StripeOptions(apiBase, apiVersion, connectTimeoutMs, timeoutMs, maxAttempts, retryDelayMs,
        maxRetryDelayMs, retryDeadlineMs, maxConnections, reconcileWindowMs, reconcileDelayMs, maxReconcileDelayMs,
        newRateLimit);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("apiBase", apiBase)
        .put("apiVersion", apiVersion)
        .put("connectTimeoutMs", connectTimeoutMs)
        .put("timeoutMs", timeoutMs)
        .put("maxAttempts", maxAttempts)
        .put("retryDelayMs", retryDelayMs)
        .put("maxRetryDelayMs", maxRetryDelayMs)
        .put("retryDeadlineMs", retryDeadlineMs)
        .put("maxConnections", maxConnections)
        .put("reconcileWindowMs", reconcileWindowMs)
        .put("reconcileDelayMs", reconcileDelayMs)
        .put("maxReconcileDelayMs", maxReconcileDelayMs)
        .put("rateLimit", rateLimit.toJson());
  }
}
