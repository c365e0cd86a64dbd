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
 */
public record ReconcileState(long since, int attempts, Integer lastStatus, String lastError) {

  public JsonObject toJson() {
    return new JsonObject().put("since", since).put("attempts", attempts).put("last_status", lastStatus)
        .put("last_error", lastError);
  }

  public static ReconcileState fromJson(JsonObject json) {
    return new ReconcileState(json.getLong("since", 0L), json.getInteger("attempts", 0),
        json.getInteger("last_status"), json.getString("last_error"));
  }

  /** One more attempt, whose answer was unknown again. */
  public ReconcileState next(Integer status, String error) {
    return new ReconcileState(since, attempts + 1, status, error);
  }
}
