package io.flowpay.queue;

import io.vertx.core.json.JsonObject;

/**
 * Where the reconciliation of one call stands: kept in Redis next to the call's outbox entry, so
 * that a restart goes on where the last process stopped (same window, same attempt count).
 *
 * @param since when the call's outcome first turned out unknown (ms); the window counts from here
 * @param attempts reconcile attempts made so far (re-sends and look-ups)
 * @param lastStatus the HTTP status of the last unknown answer, null when there was none (no answer)
 * @param lastError what the last unknown answer said, in words
 * @param lastReplayed the last unknown answer was Stripe replaying the key's first result: the call began
 *     executing at Stripe, so what its object looks like now is what the call did
 */
public record ReconcileState(long since, int attempts, Integer lastStatus, String lastError, boolean lastReplayed) {

  public JsonObject toJson() {
    return new JsonObject().put("since", since).put("attempts", attempts).put("last_status", lastStatus)
        .put("last_error", lastError).put("last_replayed", lastReplayed);
  }

  public static ReconcileState fromJson(JsonObject json) {
    return new ReconcileState(json.getLong("since", 0L), json.getInteger("attempts", 0),
        json.getInteger("last_status"), json.getString("last_error"), json.getBoolean("last_replayed", false));
  }

  /** One more attempt: the call re-sent, its answer unknown again. */
  public ReconcileState next(Integer status, String error, boolean replayed) {
    return new ReconcileState(since, attempts + 1, status, error, replayed);
  }

  /** One more attempt: a look-up that did not tell (the call's own last answer stays what it was). */
  public ReconcileState looked() {
    return new ReconcileState(since, attempts + 1, lastStatus, lastError, lastReplayed);
  }

  /** The error envelope a flow's {@code error} gets once the window is spent: the last answer, still unknown. */
  public JsonObject envelope() {
    JsonObject error = new JsonObject().put("type", lastStatus == null ? "api_connection_error" : "api_error")
        .put("message", "Stripe's outcome of this call is still unknown after " + attempts + " reconcile attempt(s): "
            + lastError);
    return new JsonObject().put("error", error).put("http_status", lastStatus).put("request_id", null)
        .put("outcome_unknown", true).put("reconcile", toJson());
  }
}
