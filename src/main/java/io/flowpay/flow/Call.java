package io.flowpay.flow;

import io.vertx.core.json.JsonObject;

/**
 * An outbound Stripe request a flow made. It is written to the worker's outbox in the same commit
 * as the flow's other effects and sent only after that commit.
 *
 * @param params Stripe parameters as JSON (form-encoded when sent)
 * @param origin the task whose flow made the call; its answer runs on the same worker and context
 * @param form the params form-encoded as they are sent, worked out by the script thread that made
 *     the call; null when not known yet (a call read back from the outbox): encoded when sent
 */
public record Call(
    String callId,
    String method,
    String path,
    JsonObject params,
    String idempotencyKey,
    String onSuccess,
    String onError,
    Object carry,
    String stripeAccount,
    Task origin,
    String form) {

  public Call(String callId, String method, String path, JsonObject params, String idempotencyKey, String onSuccess,
      String onError, Object carry, String stripeAccount, Task origin) {
    this(callId, method, path, params, idempotencyKey, onSuccess, onError, carry, stripeAccount, origin, null);
  }

  /** {@code request} as a response or error flow sees it. */
  public JsonObject request() {
    return new JsonObject()
        .put("call_id", callId)
        .put("method", method)
        .put("path", path)
        .put("params", params)
        .put("idempotency_key", idempotencyKey);
  }

  /** The task that runs {@code onSuccess} or {@code onError} with Stripe's answer bound. */
  public Task replyTask(boolean success, Object answer) {
    String flow = success ? onSuccess : onError;
    return origin.child(flow, origin.workerId(), origin.contextId(), "stripe", answer,
        new Reply(success, request(), carry));
  }

  public JsonObject toJson() {
    return request()
        .put("on_success", onSuccess)
        .put("on_error", onError)
        .put("carry", carry)
        .put("stripe_account", stripeAccount)
        .put("origin", origin.withoutInput());
  }

  public static Call fromJson(JsonObject json) {
    return new Call(
        json.getString("call_id"),
        json.getString("method"),
        json.getString("path"),
        json.getJsonObject("params", new JsonObject()),
        json.getString("idempotency_key"),
        json.getString("on_success"),
        json.getString("on_error"),
        json.getValue("carry"),
        json.getString("stripe_account"),
        Task.fromJson(json.getJsonObject("origin")));
  }
}
