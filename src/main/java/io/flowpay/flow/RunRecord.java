package io.flowpay.flow;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What happened when a task ran: written to the context's and the chain's run streams in the same
 * commit as the run's effects, read by {@code flowpay run --follow} and the API.
 */
public record RunRecord(
    Task task,
    RunStatus status,
    long startedAt,
    long durationMicros,
    List<LogLine> logs,
    List<Call> calls,
    List<Task> dispatches,
    List<Delayed> delayed,
    List<String> writes,
    RunError error) {

  public static RunRecord of(Task task, RunResult result) {
    Effects effects = result.effects();
    boolean ok = result.ok();
    return new RunRecord(task, result.status(), result.startedAt(), result.durationMicros(),
        effects.logs(),
        ok ? effects.calls() : List.of(),
        ok ? effects.dispatches() : List.of(),
        ok ? effects.delayed() : List.of(),
        ok ? List.copyOf(effects.writes().keySet()) : List.of(),
        result.error());
  }

  /** The record of a task parked in the dead-letter stream instead of run. */
  public static RunRecord dead(Task task, RunError error, long now) {
    return new RunRecord(task, RunStatus.DEAD, now, 0, List.of(), List.of(), List.of(), List.of(), List.of(), error);
  }

  public JsonObject toJson() {
    JsonObject json = task.meta()
        .put("status", status.code())
        .put("started_at", startedAt)
        .put("duration_us", durationMicros)
        .put("logs", new JsonArray(logs.stream().map(LogLine::toJson).toList()))
        .put("calls", new JsonArray(calls.stream().map(RunRecord::callSummary).toList()))
        .put("dispatches", new JsonArray(dispatches.stream().map(RunRecord::dispatchSummary).toList()))
        .put("timers", new JsonArray(delayed.stream()
            .map(timer -> dispatchSummary(timer.task()).put("delay_ms", timer.delayMs())).toList()))
        .put("writes", new JsonArray(writes));
    if (error != null) {
      // What a failed run was given, whole: enough to run its task again (flowpay runs --retry).
      json.put("error", error.toJson());
      json.put("input", task.input());
      json.put("reply", task.reply() == null ? null : task.reply().toJson());
    }
    return json;
  }

  /**
   * The task a failed run record was made for, as a fresh attempt of it (same task id, so its Stripe
   * calls carry the same idempotency keys: Stripe acts on each at most once).
   */
  public static Task retryOf(JsonObject record) {
    return new Task(record.getString("task_id"), record.getString("flow"), record.getString("worker_id"),
        record.getString("context_id"), Caller.of(record.getString("caller_id")), record.getValue("input"),
        Reply.fromJson(record.getJsonObject("reply")), record.getString("chain_id"), record.getString("parent_id"),
        record.getInteger("depth", 0), 1, System.currentTimeMillis(), record.getString("event_id"));
  }

  private static JsonObject callSummary(Call call) {
    return new JsonObject()
        .put("call_id", call.callId())
        .put("method", call.method())
        .put("path", call.path())
        .put("params", call.params())
        .put("idempotency_key", call.idempotencyKey())
        .put("on_success", call.onSuccess())
        .put("on_error", call.onError());
  }

  private static JsonObject dispatchSummary(Task child) {
    return new JsonObject()
        .put("task_id", child.taskId())
        .put("flow", child.flow())
        .put("worker_id", child.workerId())
        .put("context_id", child.contextId());
  }
}
