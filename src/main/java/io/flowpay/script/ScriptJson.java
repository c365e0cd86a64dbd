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

  /**
   * Refuses JSON text that nests deeper than {@code max} objects and arrays: deep values cost every
   * reader (Redis, the API, the next run) a stack frame per level, and past ~1000 they cannot be read.
   */
  static void requireDepth(String what, String json, int max) {
    if (json == null) {
      return;
    }
    int depth = 0;
    boolean inString = false;
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        if (++depth > max) {
          throw refuse(what + " nests deeper than " + max + " levels of objects and arrays (worker.maxValueDepth):"
              + " flatten it");
        }
      } else if (c == '}' || c == ']') {
        depth--;
      }
    }
  }

  /** How many bytes {@code text} takes in UTF-8, without encoding it. */
  static long utf8Length(String text) {
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
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
