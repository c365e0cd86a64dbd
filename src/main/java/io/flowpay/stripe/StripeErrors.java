package io.flowpay.stripe;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Stripe's error vocabulary: which answers are worth retrying, and the envelopes Flowpay builds
 * when Stripe's own is missing. Pure functions, modelled on stripe-java's retry decision.
 */
final class StripeErrors {

  static final String API_ERROR = "api_error";
  static final String API_CONNECTION_ERROR = "api_connection_error";
  private static final int EXCERPT_CHARS = 200;

  private StripeErrors() {}

  /**
   * Whether the same request (same idempotency key) may succeed if sent again.
   *
   * @param status the HTTP status, or null when no answer came (connection error, timeout)
   * @param headers the answer's headers, or null
   */
  static boolean retryable(Integer status, MultiMap headers) {
    String advice = headers == null ? null : headers.get("Stripe-Should-Retry");
    if (advice != null && advice.trim().equalsIgnoreCase("true")) {
      return true;
    }
    if (advice != null && advice.trim().equalsIgnoreCase("false")) {
      return false;
    }
    return status == null || status == 409 || status == 429 || status >= 500;
  }

  /** {@code Retry-After} as whole seconds; null when absent or not a number of seconds. */
  static Long retryAfterSeconds(MultiMap headers) {
    String value = headers == null ? null : headers.get("Retry-After");
    if (value == null || !value.trim().matches("\\d{1,9}")) {
      return null;
    }
    return Long.parseLong(value.trim());
  }

  /**
   * Whether a request that failed with this exception may have reached Stripe. Only failures to
   * open the connection prove it did not; anything later (timeout, reset) leaves it unknown.
   */
  static boolean outcomeUnknown(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof ConnectException
          || cause instanceof UnknownHostException
          || cause instanceof NoRouteToHostException
          || cause instanceof SSLHandshakeException) {
        return false;
      }
    }
    return true;
  }

  /** The body a flow's {@code error} binding gets. */
  static JsonObject envelope(JsonObject error, Integer status, String requestId, boolean outcomeUnknown) {
    return new JsonObject()
        .put("error", error)
        .put("http_status", status)
        .put("request_id", requestId)
        .put("outcome_unknown", outcomeUnknown);
  }

  static JsonObject error(String type, String message) {
    return new JsonObject().put("type", type).put("message", message);
  }

  /** An {@code api_error} for an answer that is not what Stripe sends. */
  static JsonObject notStripe(int status, String expected, String body) {
    return error(API_ERROR, "Stripe answered HTTP " + status + " with a body that is not " + expected
        + ": " + excerpt(body));
  }

  static String excerpt(String body) {
    if (body == null || body.isEmpty()) {
      return "(empty body)";
    }
    String oneLine = body.replaceAll("\\s+", " ").trim();
    return oneLine.length() <= EXCERPT_CHARS ? oneLine : oneLine.substring(0, EXCERPT_CHARS) + "...";
  }
}
