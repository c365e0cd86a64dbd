package io.flowpay.standin;

import io.vertx.core.json.JsonObject;

/**
 * One answer of the Stripe stand-in, in Stripe's shapes.
 *
 * @param saved whether Stripe would keep it for an idempotent replay: it does once the request
 *     started executing (a success, a card decline), not when the params failed validation
 */
record StripeReply(int status, JsonObject body, boolean saved) {

  static StripeReply ok(JsonObject object) {
    return new StripeReply(200, object, true);
  }

  static StripeReply missingParam(String param) {
    return invalid(400, "parameter_missing", "Missing required param: " + param + ".", param);
  }

  static StripeReply invalidInteger(String param, String value) {
    return invalid(400, "parameter_invalid_integer", "Invalid integer: " + value, param);
  }

  static StripeReply noSuch(String objectName, String id, String param) {
    return invalid(404, "resource_missing", "No such " + objectName + ": '" + id + "'", param);
  }

  static StripeReply unrecognized(String method, String path) {
    return new StripeReply(404, envelope(new JsonObject().put("type", "invalid_request_error")
        .put("message", "Unrecognized request URL (" + method + ": " + path + "). Please see https://stripe.com/docs"
            + " or we can help at https://support.stripe.com/.")), false);
  }

  static StripeReply noApiKey() {
    return new StripeReply(401, envelope(new JsonObject().put("type", "invalid_request_error")
        .put("message", "You did not provide an API key. You need to provide your API key in the Authorization"
            + " header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').")), false);
  }

  static StripeReply idempotencyMismatch(String key) {
    return new StripeReply(400, envelope(new JsonObject().put("type", "idempotency_error")
        .put("message", "Keys for idempotent requests can only be used with the same parameters they were first"
            + " used with. Try using a key other than '" + key + "' if you meant to execute a different request.")),
        false);
  }

  /** An {@code invalid_request_error} with a {@code code} and {@code param}, as Stripe sends them. */
  static StripeReply invalid(int status, String code, String message, String param) {
    return new StripeReply(status, envelope(new JsonObject()
        .put("code", code)
        .put("doc_url", "https://stripe.com/docs/error-codes/" + code.replace('_', '-'))
        .put("message", message)
        .put("param", param)
        .put("type", "invalid_request_error")), false);
  }

  static JsonObject envelope(JsonObject error) {
    return new JsonObject().put("error", error);
  }
}
