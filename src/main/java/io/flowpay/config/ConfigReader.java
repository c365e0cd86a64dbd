package io.flowpay.config;

import io.flowpay.failure.FlowpayFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Reads typed values out of one section of the config, failing with a message that names the key
 * ({@code stripe.timeoutMs}) and what a good value looks like.
 */
final class ConfigReader {

  private final JsonObject json;
  private final String section;

  ConfigReader(JsonObject json, String section) {
    this.json = json == null ? new JsonObject() : json;
    this.section = section;
  }

  String key(String name) {
    return section.isEmpty() ? name : section + "." + name;
  }

  String string(String name, String fallback) {
    Object value = json.getValue(name);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof String text) || text.isBlank()) {
      throw invalid(name, "must be a non-empty string");
    }
    return text;
  }

  int integer(String name, int fallback, int min, int max) {
    Object value = json.getValue(name);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < min
        || ((Number) value).longValue() > max) {
      throw invalid(name, "must be a whole number from " + min + " to " + max + " (got " + value + ")");
    }
    return ((Number) value).intValue();
  }

  /** The raw value of a key (a nested section), or null. */
  Object value(String name) {
    return json.getValue(name);
  }

  JsonArray array(String name) {
    Object value = json.getValue(name);
    if (value != null && !(value instanceof JsonArray)) {
      throw invalid(name, "must be a list, e.g. [\"w1\"]");
    }
    return (JsonArray) value;
  }

  FlowpayFailure invalid(String name, String why) {
    return new FlowpayFailure(FlowpayFailure.Kind.CONFIG_INVALID, key(name) + " " + why);
  }
}
