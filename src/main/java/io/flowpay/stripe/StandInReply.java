package io.flowpay.stripe;

import io.vertx.core.json.JsonObject;

/**
 * One answer of the Stripe stand-in, in Stripe's shapes.
 *
 * @param saved whether Stripe would keep it for an idempotent replay: it does once the request
 *     started executing (a success, a card decline), not when the params failed validation
 */
record StandInReply(int status, JsonObject body, boolean saved) {

  static StandInReply ok(JsonObject object) {
    return new StandInReply(200, object, true);
  }

  static StandInReply missingParam(String param) {
    return invalid(400, "parameter_missing", "Missing required param: " + param + ".", param);
  }

  static StandInReply invalidInteger(String param, String value) {
    return invalid(400, "parameter_invalid_integer", "Invalid integer: " + value, param);
  }

  static StandInReply noSuch(String objectName, String id, String param) {
    return invalid(404, "resource_missing", "No such " + objectName + ": '" + id + "'", param);
  }

  static StandInReply unrecognized(String method, String path) {
    return new StandInReply(404, envelope(new JsonObject().put("type", "invalid_request_error")
        .put("message", "Unrecognized request URL (" + method + ": " + path + "). Please see https://stripe.com/docs"
            + " or we can help at https://support.stripe.com/.")), false);
  }

  static StandInReply noApiKey() {
    return new StandInReply(401, envelope(new JsonObject().put("type", "invalid_request_error")
        .put("message", "You did not provide an API key. You need to provide your API key in the Authorization"
            + " header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').")), false);
  }

  static StandInReply idempotencyMismatch(String key) {
    return new StandInReply(400, envelope(new JsonObject().put("type", "idempotency_error")
        .put("message", "Keys for idempotent requests can only be used with the same parameters they were first"
            + " used with. Try using a key other than '" + key + "' if you meant to execute a different request.")),
        false);
  }

  /** An {@code invalid_request_error} with a {@code code} and {@code param}, as Stripe sends them. */
  static StandInReply invalid(int status, String code, String message, String param) {
    return new StandInReply(status, envelope(new JsonObject()
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
