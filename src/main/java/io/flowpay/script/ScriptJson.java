package io.flowpay.script;

import io.flowpay.failure.FlowpayFailure;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** JSON text as it crosses from a script into Java, and the refusals a script sees as an Error. */
final class ScriptJson {

  private ScriptJson() {}

  static FlowpayFailure refuse(String message) {
    return new FlowpayFailure(FlowpayFailure.Kind.SCRIPT_ERROR, message);
  }

  /** A JSON value (JsonObject, JsonArray, String, Number, Boolean or null); null text is null. */
  static Object value(String what, String json) {
    if (json == null) {
      return null;
    }
    try {
      return Json.decodeValue(json);
    } catch (DecodeException e) {
      throw refuse(what + " is not JSON: " + e.getMessage());
    }
  }

  /** A JSON object; null text is an empty object. */
  static JsonObject object(String what, String json) {
    Object value = value(what, json);
    if (value == null) {
      return new JsonObject();
    }
    if (!(value instanceof JsonObject object)) {
      throw refuse(what + " must be an object like {name: 'value'}, got " + json);
    }
    return object;
  }

  /** Options as an object whose keys are all in {@code known}. */
  static JsonObject options(String what, String json, List<String> known) {
    JsonObject options = object(what + ": options", json);
    for (String key : options.fieldNames()) {
      if (!known.contains(key)) {
        throw refuse(what + ": unknown option '" + key + "' (known: " + String.join(", ", known) + ")");
      }
    }
    return options;
  }

  /** An optional string option: absent is null, anything but a string is refused. */
  static String string(String what, JsonObject options, String key) {
    Object value = options.getValue(key);
    if (value != null && !(value instanceof String)) {
      throw refuse(what + ": option '" + key + "' must be a string, got " + Json.encode(value));
    }
    return (String) value;
  }
}
