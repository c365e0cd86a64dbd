package io.flowpay.flow;

import io.vertx.core.json.JsonObject;

/** A line a flow logged with {@code log.info/warn/error} or {@code print}. */
public record LogLine(String level, String message) {

  public JsonObject toJson() {
    return new JsonObject().put("level", level).put("message", message);
  }

  public static LogLine fromJson(JsonObject json) {
    return new LogLine(json.getString("level"), json.getString("message"));
  }
}
