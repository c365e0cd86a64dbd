package io.flowpay.stripe;

import io.flowpay.flow.RawJson;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeoutException;

/** Turns what came back (an HTTP answer or a failure) into a {@link StripeAnswer}. Pure. */
final class StripeAnswers {

  private StripeAnswers() {}

  /** An HTTP answer: a Stripe object on 2xx, Stripe's error envelope otherwise. */
  static StripeAnswer fromHttp(int status, MultiMap headers, Buffer body) {
    String requestId = headers.get("Request-Id");
    if (status >= 200 && status < 300) {
      // The Stripe object goes on to the response flow as the text Stripe sent: checked, not decoded.
      RawJson object = RawJson.object(text(body));
      if (object != null) {
        return new StripeAnswer(true, status, object, requestId, false, null);
      }
    }
    JsonObject parsed = parseObject(body);
    JsonObject error = stripeError(status, parsed, body);
    // Stripe treats a 5xx as indeterminate; a 2xx we cannot read means Stripe acted, but on what?
    boolean outcomeUnknown = status >= 500 || (status >= 200 && status < 300);
    JsonObject envelope = StripeErrors.envelope(error, status, requestId, outcomeUnknown);
    if ("true".equalsIgnoreCase(headers.get("Idempotent-Replayed"))) {
      // Stripe replays a key's first answer only once that request began executing at Stripe.
      envelope.put("idempotent_replayed", true);
    }
    return new StripeAnswer(false, status, envelope, requestId,
        StripeErrors.retryable(status, headers), StripeErrors.retryAfterSeconds(headers));
  }

  /** No HTTP answer: the connection failed, was reset, or the request timed out. */
  static StripeAnswer fromFailure(String request, Throwable failure) {
    boolean outcomeUnknown = StripeErrors.outcomeUnknown(failure);
    JsonObject error = StripeErrors.error(StripeErrors.API_CONNECTION_ERROR, what(failure, outcomeUnknown) + request
        + ": " + describe(failure)
        + (outcomeUnknown ? " (the request may have reached Stripe)" : " (the request was not sent)"));
    return new StripeAnswer(false, null, StripeErrors.envelope(error, null, null, outcomeUnknown), null,
        StripeErrors.retryable(null, null), null);
  }

  /** The call could not even be built (bad URL, unknown method): sending it again cannot help. */
  static StripeAnswer notSent(String request, Throwable failure) {
    JsonObject error = StripeErrors.error(StripeErrors.API_CONNECTION_ERROR,
        "Could not send " + request + " to Stripe: " + describe(failure) + " (the request was not sent)");
    return new StripeAnswer(false, null, StripeErrors.envelope(error, null, null, false), null, false, null);
  }

  private static JsonObject stripeError(int status, JsonObject parsed, Buffer body) {
    if (status >= 200 && status < 300) {
      return StripeErrors.notStripe(status, "a JSON object", text(body));
    }
    if (parsed != null && parsed.getValue("error") instanceof JsonObject error) {
      return error;
    }
    return StripeErrors.notStripe(status, "a Stripe error envelope ({\"error\": {...}})", text(body));
  }

  private static JsonObject parseObject(Buffer body) {
    if (body == null || body.length() == 0) {
      return null;
    }
    try {
      return body.toJsonValue() instanceof JsonObject object ? object : null;
    } catch (DecodeException notJson) {
      return null;
    }
  }

  private static String text(Buffer body) {
    return body == null ? null : body.toString();
  }

  private static String what(Throwable failure, boolean outcomeUnknown) {
    if (failure instanceof TimeoutException) {
      return "No answer in time from Stripe to ";
    }
    return outcomeUnknown ? "Lost the connection to Stripe during " : "Could not connect to Stripe for ";
  }

  private static String describe(Throwable failure) {
    String message = failure.getMessage();
    return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
  }
}
