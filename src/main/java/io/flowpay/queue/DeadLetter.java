package io.flowpay.queue;

import io.flowpay.flow.Task;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Response;
import java.util.Map;

/**
 * One entry of a worker's dead-letter stream: a task that will not run again until an operator
 * retries it ({@code flowpay dead retry}).
 *
 * @param id the entry's id in the dead-letter stream (what {@code dead show|retry|drop} take)
 * @param entryId the task's entry id in the worker's task stream when it was parked
 * @param task null when the entry was not a readable task ({@code raw} says what was there)
 * @param reason why it was parked: {@code unreadable}, {@code deliveries}, {@code depth}, {@code flow_disabled}
 * @param error the last error, in words
 * @param deliveries how many times the stream had handed it out
 */
public record DeadLetter(String id, String workerId, String entryId, Task task, String raw, String reason,
    String error, long deliveries, long deadAt) {

  static DeadLetter of(String worker, String id, Map<String, String> fields) {
    String raw = fields.get("task");
    return new DeadLetter(id, worker, fields.get("entry_id"), parse(raw), raw, fields.getOrDefault("reason", "unreadable"),
        fields.get("error"), parseLong(fields.get("deliveries")), parseLong(fields.get("dead_at")));
  }

  /** {@code [id, [field, value, ...]]} as XRANGE gives it. */
  static DeadLetter of(String worker, Response entry) {
    return of(worker, entry.get(0).toString(), Fields.toMap(entry.get(1)));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("worker_id", workerId)
        .put("entry_id", entryId)
        .put("reason", reason)
        .put("error", error)
        .put("deliveries", deliveries)
        .put("dead_at", deadAt)
        .put("task", task == null ? raw : task.toJson());
  }

  private static Task parse(String raw) {
    try {
      return raw == null ? null : StreamEntries.task(raw);
    } catch (DecodeException | ClassCastException unreadable) {
      return null;
    }
  }

  private static long parseLong(String text) {
    try {
      return text == null ? 0 : Long.parseLong(text);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
