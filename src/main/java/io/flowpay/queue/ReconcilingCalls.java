package io.flowpay.queue;

import io.flowpay.flow.Call;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * The calls of a worker whose outcome at Stripe is not known yet, in Redis: their state, when each
 * is tried next, and those whose outcome stayed unknown through the whole window (for an
 * operator). The call itself stays in the outbox until an answer is stored for it
 * ({@link RedisTaskQueue#reply}, which also ends its reconciliation).
 */
public final class ReconcilingCalls {

  private final Redis redis;
  private final ReconcileHoldScript hold;

  public ReconcilingCalls(Redis redis) {
    this(redis, new Fences());
  }

  /** @param fences the lease tokens a worker's holds are fenced with (its queue's) */
  public ReconcilingCalls(Redis redis, Fences fences) {
    this.redis = redis;
    this.hold = new ReconcileHoldScript(QueueScope.of(redis, fences));
  }

  /**
   * Keeps {@code call} for reconciling, to be tried at {@code dueAt}. Returns false when the call
   * was answered meanwhile (nothing kept).
   */
  public Future<Boolean> hold(Call call, ReconcileState state, long dueAt) {
    return hold.run(call, state, dueAt);
  }

  /**
   * Moves the next attempt of {@code callId}, if it is being reconciled, to now: Stripe told about
   * the object it made (a webhook event), so a look-up will find it. Returns false when the call is
   * not being reconciled.
   */
  public Future<Boolean> nudge(String worker, String callId) {
    return redis.send(Request.cmd(Command.ZADD).arg(RedisKeys.reconcileDue(worker)).arg("XX").arg("CH")
        .arg(System.currentTimeMillis()).arg(callId)).map(changed -> changed.toInteger() == 1);
  }

  /**
   * Up to {@code count} calls of {@code worker} due by {@code now}, with their state. A call no longer
   * in the outbox (answered) is forgotten here.
   */
  public Future<List<Due>> due(String worker, long now, int count) {
    Request ids = Request.cmd(Command.ZRANGEBYSCORE).arg(RedisKeys.reconcileDue(worker)).arg("-inf").arg(now)
        .arg("LIMIT").arg(0).arg(count);
    return redis.send(ids).compose(due -> due.size() == 0 ? Future.succeededFuture(List.of()) : load(worker, due));
  }

  private Future<List<Due>> load(String worker, Response ids) {
    Request calls = Request.cmd(Command.HMGET).arg(RedisKeys.outbox(worker));
    Request states = Request.cmd(Command.HMGET).arg(RedisKeys.reconciling(worker));
    ids.forEach(id -> {
      calls.arg(id.toString());
      states.arg(id.toString());
    });
    return redis.batch(List.of(calls, states)).compose(answers -> {
      List<Due> due = new ArrayList<>();
      List<String> gone = new ArrayList<>();
      for (int i = 0; i < ids.size(); i++) {
        Response call = answers.get(0).get(i);
        Response state = answers.get(1).get(i);
        if (call == null || state == null) {
          gone.add(ids.get(i).toString());
        } else {
          due.add(new Due(Call.fromJson(new JsonObject(call.toString())),
              ReconcileState.fromJson(new JsonObject(state.toString()))));
        }
      }
      return forget(worker, gone).map(due);
    });
  }

  private Future<Void> forget(String worker, List<String> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture();
    }
    Request zrem = Request.cmd(Command.ZREM).arg(RedisKeys.reconcileDue(worker));
    Request hdel = Request.cmd(Command.HDEL).arg(RedisKeys.reconciling(worker));
    ids.forEach(id -> {
      zrem.arg(id);
      hdel.arg(id);
    });
    return redis.batch(List.of(zrem, hdel)).mapEmpty();
  }

  /**
   * Every call of {@code worker} being reconciled, oldest first: its state ({@code since, attempts,
   * last_status, last_error}), when it is tried next, and what it is (method, path, idempotency key,
   * flow, context, chain).
   */
  public Future<List<JsonObject>> list(String worker) {
    return redis.batch(List.of(Request.cmd(Command.HGETALL).arg(RedisKeys.reconciling(worker)),
            Request.cmd(Command.ZRANGE).arg(RedisKeys.reconcileDue(worker)).arg(0).arg(-1).arg("WITHSCORES")))
        .compose(answers -> {
          var due = Fields.toMap(answers.get(1));
          List<JsonObject> calls = new ArrayList<>();
          Fields.toMap(answers.get(0)).forEach((id, state) -> calls.add(new JsonObject(state)
              .put("call_id", id).put("next_attempt_at", due.containsKey(id) ? (long) Double.parseDouble(due.get(id)) : null)));
          calls.sort((a, b) -> Long.compare(a.getLong("since", 0L), b.getLong("since", 0L)));
          return describe(worker, calls);
        });
  }

  private Future<List<JsonObject>> describe(String worker, List<JsonObject> calls) {
    if (calls.isEmpty()) {
      return Future.succeededFuture(calls);
    }
    Request outbox = Request.cmd(Command.HMGET).arg(RedisKeys.outbox(worker));
    calls.forEach(call -> outbox.arg(call.getString("call_id")));
    return redis.send(outbox).map(entries -> {
      for (int i = 0; i < calls.size(); i++) {
        Response entry = entries.get(i);
        if (entry != null) {
          JsonObject call = new JsonObject(entry.toString());
          JsonObject origin = call.getJsonObject("origin", new JsonObject());
          calls.get(i).put("method", call.getString("method")).put("path", call.getString("path"))
              .put("idempotency_key", call.getString("idempotency_key")).put("flow", origin.getString("flow"))
              .put("context_id", origin.getString("context_id")).put("chain_id", origin.getString("chain_id"));
        }
      }
      return calls;
    });
  }

  /** Calls of {@code worker} whose outcome stayed unknown through the whole window (their error flow ran). */
  public Future<List<JsonObject>> unresolved(String worker) {
    return redis.send(Request.cmd(Command.HGETALL).arg(RedisKeys.unresolved(worker))).map(answer -> {
      List<JsonObject> calls = new ArrayList<>();
      Fields.toMap(answer).forEach((id, record) -> calls.add(new JsonObject(record).put("call_id", id)));
      return calls;
    });
  }

  /** How many calls of {@code worker} are being reconciled, and how many stayed unresolved. */
  public Future<long[]> counts(String worker) {
    return redis.batch(List.of(Request.cmd(Command.HLEN).arg(RedisKeys.reconciling(worker)),
            Request.cmd(Command.HLEN).arg(RedisKeys.unresolved(worker))))
        .map(answers -> new long[] {answers.get(0).toLong(), answers.get(1).toLong()});
  }

  /** A call due for its next reconcile attempt. */
  public record Due(Call call, ReconcileState state) {}
}
