package io.flowpay.flow;

import io.vertx.core.json.JsonObject;

/**
 * "Run flow F in context C on worker W with input I": the unit that travels through Redis.
 *
 * @param input a JSON value (JsonObject, JsonArray, String, Number, Boolean or null)
 * @param reply set for response/error tasks, null for others
 * @param eventId the Stripe event a webhook task answers, null for others
 */
public record Task(
    String taskId,
    String flow,
    String workerId,
    String contextId,
    String callerId,
    Object input,
    Reply reply,
    String chainId,
    String parentId,
    int depth,
    int attempt,
    long enqueuedAt,
    String eventId) {

  /** A main-flow task: the first of a new chain. */
  public static Task main(String flow, String workerId, String contextId, String callerId, Object input) {
    String id = Ids.newId();
    return new Task(id, flow, workerId, contextId, callerId, input, null, id, null, 0, 1,
        System.currentTimeMillis(), null);
  }

  /** A main-flow task started by Stripe event {@code eventId} ({@code caller_id} {@code webhook}). */
  public static Task event(String flow, String workerId, String contextId, Object input, String eventId) {
    String id = Ids.newId();
    return new Task(id, flow, workerId, contextId, "webhook", input, null, id, null, 0, 1,
        System.currentTimeMillis(), eventId);
  }

  /** A task this task's flow starts (dispatch, reply): same chain, one level deeper. */
  public Task child(String flow, String workerId, String contextId, String callerId, Object input, Reply reply) {
    return new Task(Ids.newId(), flow, workerId, contextId, callerId, input, reply, chainId, taskId,
        depth + 1, 1, System.currentTimeMillis(), null);
  }

  /** The same task delivered again as a fresh attempt (an operator's {@code dead retry}). */
  public Task retried() {
    return new Task(taskId, flow, workerId, contextId, callerId, input, reply, chainId, parentId, depth, 1,
        System.currentTimeMillis(), eventId);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("task_id", taskId)
        .put("flow", flow)
        .put("worker_id", workerId)
        .put("context_id", contextId)
        .put("caller_id", callerId)
        .put("input", input)
        .put("reply", reply == null ? null : reply.toJson())
        .put("chain_id", chainId)
        .put("parent_id", parentId)
        .put("depth", depth)
        .put("attempt", attempt)
        .put("enqueued_at", enqueuedAt);
    return eventId == null ? json : json.put("event_id", eventId);
  }

  public static Task fromJson(JsonObject json) {
    return new Task(
        json.getString("task_id"),
        json.getString("flow"),
        json.getString("worker_id"),
        json.getString("context_id"),
        json.getString("caller_id"),
        json.getValue("input"),
        Reply.fromJson(json.getJsonObject("reply")),
        json.getString("chain_id"),
        json.getString("parent_id"),
        json.getInteger("depth", 0),
        json.getInteger("attempt", 1),
        json.getLong("enqueued_at", 0L),
        json.getString("event_id"));
  }

  /** {@code meta} as a flow sees it. */
  public JsonObject meta() {
    return new JsonObject()
        .put("task_id", taskId)
        .put("flow", flow)
        .put("worker_id", workerId)
        .put("context_id", contextId)
        .put("caller_id", callerId)
        .put("chain_id", chainId)
        .put("parent_id", parentId)
        .put("depth", depth)
        .put("attempt", attempt)
        .put("event_id", eventId);
  }
}
