package io.flowpay.flow;

import io.vertx.core.json.JsonObject;

/**
 * What a response or error task carries besides its input: which call it answers and the data
 * the calling flow attached to that call.
 *
 * @param success true for a 2xx answer (response flow), false otherwise (error flow)
 * @param request {@code {call_id, method, path, params, idempotency_key}} of the call
 * @param carry the calling flow's {@code carry} option, or null
 */
public record Reply(boolean success, JsonObject request, Object carry) {

  public JsonObject toJson() {
    return new JsonObject().put("success", success).put("request", request).put("carry", carry);
  }

  public static Reply fromJson(JsonObject json) {
    return json == null ? null
        : new Reply(json.getBoolean("success", false), json.getJsonObject("request"), json.getValue("carry"));
  }
}
