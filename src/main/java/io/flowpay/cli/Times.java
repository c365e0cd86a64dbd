package io.flowpay.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** What the CLI prints for times and stored JSON: ISO-8601 instants, not epoch milliseconds; objects, not escaped text. */
final class Times {

  private Times() {}

  /** {@code 2026-12-06T04:31:02.118Z} for epoch milliseconds. */
  static String iso(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).toString();
  }

  /** A field's value as stored, with epoch milliseconds in fields named {@code *_at} or {@code at} made ISO-8601. */
  static String readable(String field, String value) {
    if ((field.equals("at") || field.endsWith("_at")) && value.matches("\\d{10,15}")) {
      return iso(Long.parseLong(value));
    }
    return value;
  }

  /** An audit entry of {@code dead retry|drop}: its task as a JSON object, its time ISO-8601. */
  static JsonObject auditEntry(JsonObject entry) {
    JsonObject readable = new JsonObject();
    entry.forEach(field -> {
      Object value = field.getValue();
      if (value instanceof String text) {
        value = field.getKey().equals("task") ? json(text) : readable(field.getKey(), text);
      }
      readable.put(field.getKey(), value);
    });
    return readable;
  }

  private static Object json(String text) {
    try {
      return new JsonObject(text);
    } catch (DecodeException notJson) {
      return text;
    }
  }
}
