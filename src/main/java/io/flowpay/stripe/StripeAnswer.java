package io.flowpay.stripe;

import io.flowpay.flow.RawJson;
import io.vertx.core.json.JsonObject;

/**
 * What Stripe answered to one call, as a flow sees it.
 *
 * @param success true for a 2xx answer whose body is a Stripe object
 * @param httpStatus the HTTP status, or null when no HTTP answer came
 * @param body on success the Stripe object, as the text Stripe sent ({@link RawJson}); otherwise the error envelope a
 *     flow's {@code error} binding gets: {@code {error: {type, code, decline_code, message, param,
 *     ...}, http_status, request_id, outcome_unknown}}
 * @param requestId Stripe's {@code Request-Id} header, or null
 * @param retryable whether sending the same call again (same idempotency key) may succeed: no
 *     answer (connection error, timeout), 409, 429 and 5xx are; {@code Stripe-Should-Retry} overrides
 * @param retryAfterSeconds Stripe's {@code Retry-After} in seconds, or null
 */
public record StripeAnswer(
    boolean success,
    Integer httpStatus,
    Object body,
    String requestId,
    boolean retryable,
    Long retryAfterSeconds) {

  /** An answer whose retryability follows from its status alone (no headers to consult). */
  public StripeAnswer(boolean success, Integer httpStatus, Object body, String requestId) {
    this(success, httpStatus, body, requestId, !success && StripeErrors.retryable(httpStatus, null), null);
  }

  /** The body as a JSON object: the Stripe object on success (decoded here), the error envelope otherwise. */
  public JsonObject json() {
    return body instanceof RawJson raw ? (JsonObject) raw.value() : (JsonObject) body;
  }

  /** True when the request may have reached Stripe but what Stripe did is not known. */
  public boolean outcomeUnknown() {
    return !success && body instanceof JsonObject envelope && envelope.getBoolean("outcome_unknown", false);
  }

  /**
   * True for an error answer Stripe replayed for the call's idempotency key ({@code Idempotent-Replayed}):
   * the first request with the key began executing at Stripe.
   */
  public boolean replayed() {
    return !success && body instanceof JsonObject envelope && envelope.getBoolean("idempotent_replayed", false);
  }

  /**
   * True for an answer made here for a call that was never sent: the fleet's rate budget held it
   * ({@code rate_budget_exhausted}, see {@link BudgetedStripeClient}).
   */
  public boolean notSent() {
    JsonObject error = error();
    return httpStatus == null && error != null && BudgetedStripeClient.NOT_SENT.equals(error.getString("code"));
  }

  /** Stripe's {@code error} object of a failed answer, or null on success. */
  public JsonObject error() {
    return !success && body instanceof JsonObject envelope ? envelope.getJsonObject("error") : null;
  }
}
