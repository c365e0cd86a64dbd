package io.flowpay.flow;

import io.vertx.core.json.JsonObject;

/**
 * Why a run failed, as a person reads it: a stable code, the message, and where in which file.
 *
 * @param file the flow file ({@code flows/main.js}), or null when the failure is not in a file
 * @param line 1-based line, or 0 when unknown
 */
public record RunError(String code, String message, String file, int line) {

  public JsonObject toJson() {
    return new JsonObject().put("code", code).put("message", message).put("file", file).put("line", line);
  }

  public static RunError fromJson(JsonObject json) {
    return json == null ? null
        : new RunError(json.getString("code"), json.getString("message"), json.getString("file"),
            json.getInteger("line", 0));
  }

  /** {@code flows/main.js:3: TypeError: ...} */
  @Override
  public String toString() {
    String where = file == null ? "" : file + (line > 0 ? ":" + line : "") + ": ";
    return where + message;
  }
}
