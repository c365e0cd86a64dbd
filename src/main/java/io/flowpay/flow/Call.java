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
    return origin.child(flow, origin.workerId(), origin.contextId(), Caller.STRIPE, answer,
        new Reply(success, request(), carry));
  }

  /**
   * As {@link #replyTask}, for an answer found by reconciling a call whose first outcome was
   * unknown: the flow's {@code request.reconciled} says how it was found ({@code resent},
   * {@code retrieved}, {@code found}, or {@code window_spent} when it was not).
   */
  public Task reconciledReplyTask(boolean success, Object answer, String how) {
    String flow = success ? onSuccess : onError;
    return origin.child(flow, origin.workerId(), origin.contextId(), Caller.STRIPE, answer,
        new Reply(success, request().put("reconciled", how), carry));
  }

  /**
   * The task that runs {@code onError} when an answer cannot be stored as it is (the call's
   * {@code carry} cannot be encoded, say): the error names why, and the carry is left out.
   */
  public Task unstorableReplyTask(Object stripeAnswer, String why) {
    JsonObject error = new JsonObject().put("type", "flowpay_error").put("code", "answer_unstorable")
        .put("message", "Stripe's answer to call " + callId + " could not be stored for its flow (" + why
            + "); the call's carry was left out. Stripe's answer, as text, is in error.answer");
    JsonObject envelope = new JsonObject().put("error", error.put("answer", excerpt(stripeAnswer)))
        .put("http_status", null).put("outcome_unknown", false);
    return origin.child(onError, origin.workerId(), origin.contextId(), Caller.STRIPE, envelope,
        new Reply(false, request(), null));
  }

  private static String excerpt(Object answer) {
    String text;
    try {
      text = String.valueOf(answer instanceof RawJson raw ? raw.text() : answer);
    } catch (RuntimeException | StackOverflowError unprintable) {
      text = "(unprintable)";
    }
    return text.length() <= 4096 ? text : text.substring(0, 4096) + "...";
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
