package io.flowpay.script;

import io.flowpay.failure.FlowpayFailure;
import io.flowpay.flow.FlowNames;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The options of a Stripe call a flow makes: {@code {onSuccess, onError, carry, idempotencyKey,
 * stripeAccount, flowpayMetadata}}. Flow names default to the endpoint's; a null key means "derive
 * it"; a null {@code flowpayMetadata} means "the endpoint's default".
 */
record CallOptions(String onSuccess, String onError, Object carry, String idempotencyKey, String stripeAccount,
    Boolean flowpayMetadata) {

  private static final List<String> KNOWN =
      List.of("onSuccess", "onError", "carry", "idempotencyKey", "stripeAccount", "flowpayMetadata");
  private static final int MAX_KEY_LENGTH = 255;

  static CallOptions parse(String what, String json, String defaultSuccess, String defaultError) {
    JsonObject options = ScriptJson.options(what, json, KNOWN);
    String onSuccess = flow(what, ScriptJson.string(what, options, "onSuccess"), defaultSuccess);
    String onError = flow(what, ScriptJson.string(what, options, "onError"), defaultError);
    String key = ScriptJson.string(what, options, "idempotencyKey");
    if (key != null && (key.isBlank() || key.length() > MAX_KEY_LENGTH)) {
      throw ScriptJson.refuse(what + ": option 'idempotencyKey' must be 1-" + MAX_KEY_LENGTH + " characters");
    }
    return new CallOptions(onSuccess, onError, options.getValue("carry"), key,
        ScriptJson.string(what, options, "stripeAccount"), flag(what, options, "flowpayMetadata"));
  }

  private static Boolean flag(String what, JsonObject options, String key) {
    Object value = options.getValue(key);
    if (value != null && !(value instanceof Boolean)) {
      throw ScriptJson.refuse(what + ": option '" + key + "' must be true or false, got " + Json.encode(value));
    }
    return (Boolean) value;
  }

  private static String flow(String what, String name, String fallback) {
    try {
      return FlowNames.require(name == null ? fallback : name);
    } catch (FlowpayFailure invalid) {
      throw ScriptJson.refuse(what + ": " + invalid.getMessage());
    }
  }
}
