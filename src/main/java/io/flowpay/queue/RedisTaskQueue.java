package io.flowpay.queue;

import io.flowpay.failure.FlowpayFailure;
import io.flowpay.flow.Call;
import io.flowpay.flow.RunRecord;
import io.flowpay.flow.RunResult;
import io.flowpay.flow.Task;
import io.vertx.core.Future;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tasks, context state, outbox and chains in Redis. Every write that must not be half-done is one
 * Lua script; blocking reads go over a connection the caller dedicates to them.
 */
public final class RedisTaskQueue {

  static final long CHAIN_TTL_SECONDS = 7 * 24 * 3600;
  static final int RUNS_PER_CONTEXT = 1000;

  private final Redis redis;
  private final LuaScript start = LuaScript.load("start");
  private final LuaScript commit = LuaScript.load("commit");
  private final LuaScript reply = LuaScript.load("reply");
  private final LuaScript dead = LuaScript.load("dead");

  public RedisTaskQueue(Redis redis) {
    this.redis = redis;
  }

  /** Creates the worker's stream and consumer group if missing (from the start of the stream). */
  public Future<Void> ensureGroup(String worker) {
    Request create = Request.cmd(Command.XGROUP).arg("CREATE").arg(RedisKeys.tasks(worker))
        .arg(RedisKeys.GROUP).arg("0").arg("MKSTREAM");
    return redis.send(create).<Void>mapEmpty()
        .recover(error -> String.valueOf(error.getMessage()).startsWith("BUSYGROUP")
            ? Future.succeededFuture()
            : Future.failedFuture(error));
  }

  /** Enqueues a main-flow task as the first of a new chain. Returns the stream entry id. */
  public Future<String> start(Task task) {
    List<String> keys = List.of(RedisKeys.chain(task.chainId()), RedisKeys.tasks(task.workerId()));
    List<String> args = List.of(task.toJson().encode(), task.flow(), task.contextId(), task.workerId(),
        String.valueOf(System.currentTimeMillis()), String.valueOf(CHAIN_TTL_SECONDS));
    return ensureGroup(task.workerId())
        .compose(ready -> start.run(redis, keys, args))
        .map(Response::toString);
  }

  /**
   * Reads up to {@code count} tasks for {@code worker}: new ones ({@code from} = ">") or, on start,
   * the ones this consumer was handed before and never acknowledged ({@code from} = an entry id).
   */
  public Future<List<Delivery>> read(RedisConnection connection, String worker, String from, int count, long blockMs) {
    Request request = Request.cmd(Command.XREADGROUP).arg("GROUP").arg(RedisKeys.GROUP).arg(worker)
        .arg("COUNT").arg(count);
    if (">".equals(from)) {
      request.arg("BLOCK").arg(blockMs);
    }
    request.arg("STREAMS").arg(RedisKeys.tasks(worker)).arg(from);
    return connection.send(request).map(response -> StreamEntries.deliveries(worker, response));
  }

  public Future<Snapshot> snapshot(String context) {
    return redis.send(Request.cmd(Command.HGETALL).arg(RedisKeys.context(context))).map(RedisTaskQueue::toSnapshot);
  }

  /**
   * Commits a run atomically: on success its effects and the acknowledgement of the task; on
   * failure only the run record and the acknowledgement. See {@code lua/commit.lua}.
   */
  public Future<Commit> commit(Delivery delivery, Snapshot snapshot, RunResult result) {
    Task task = delivery.task();
    RunRecord record = RunRecord.of(task, result);
    List<String> keys = new ArrayList<>(List.of(
        RedisKeys.context(task.contextId()), RedisKeys.tasks(delivery.workerId()),
        RedisKeys.outbox(delivery.workerId()), RedisKeys.runs(task.contextId()),
        RedisKeys.chain(task.chainId()), RedisKeys.chainRuns(task.chainId())));
    if (result.ok()) {
      result.effects().dispatches().forEach(child -> keys.add(RedisKeys.tasks(child.workerId())));
    }
    List<String> args = List.of(RedisKeys.GROUP, delivery.entryId(), result.ok() ? snapshot.version() : "",
        CommitPlan.of(result, record).encode(), String.valueOf(CHAIN_TTL_SECONDS), String.valueOf(RUNS_PER_CONTEXT));
    return commit.run(redis, keys, args).map(RedisTaskQueue::toCommit);
  }

  /**
   * Enqueues the task that answers {@code call} on the caller's own stream and removes the call
   * from the outbox. Returns false when the call had been answered already (nothing enqueued).
   */
  public Future<Boolean> reply(Call call, Task answer) {
    String worker = call.origin().workerId();
    return reply.run(redis, List.of(RedisKeys.outbox(worker), RedisKeys.tasks(worker)),
            List.of(call.callId(), answer.toJson().encode()))
        .map(response -> response.toInteger() == 1);
  }

  /** Calls committed by {@code worker} and not answered yet. */
  public Future<List<Call>> outbox(String worker) {
    return redis.send(Request.cmd(Command.HVALS).arg(RedisKeys.outbox(worker)))
        .map(values -> {
          List<Call> calls = new ArrayList<>();
          values.forEach(value -> calls.add(Call.fromJson(new JsonObject(value.toString()))));
          return calls;
        });
  }

  /** Parks an entry that cannot run in the dead-letter stream and acknowledges it. */
  public Future<Void> deadLetter(Delivery delivery, String reason) {
    String worker = delivery.workerId();
    return dead.run(redis, List.of(RedisKeys.tasks(worker), RedisKeys.dead(worker)),
        List.of(RedisKeys.GROUP, delivery.entryId(), String.valueOf(delivery.raw()), reason,
            String.valueOf(System.currentTimeMillis()))).mapEmpty();
  }

  /** The chain's counters and status, or null when there is no such chain. */
  public Future<ChainStatus> chain(String chainId) {
    return redis.send(Request.cmd(Command.HGETALL).arg(RedisKeys.chain(chainId)))
        .map(response -> ChainStatus.of(chainId, toMap(response)));
  }

  /** Run records of a chain after {@code fromId}, waiting up to {@code blockMs} for the first. */
  public Future<List<StreamEntries.Entry>> chainRuns(RedisConnection connection, String chainId, String fromId,
      long blockMs) {
    Request request = Request.cmd(Command.XREAD).arg("COUNT").arg(500).arg("BLOCK").arg(blockMs)
        .arg("STREAMS").arg(RedisKeys.chainRuns(chainId)).arg(fromId);
    return connection.send(request).map(StreamEntries::entries);
  }

  /** The context's state as JSON values, without internal keys. */
  public Future<JsonObject> contextState(String context) {
    return snapshot(context).map(snapshot -> {
      JsonObject state = new JsonObject();
      snapshot.values().forEach((key, json) -> state.put(key, Json.decodeValue(json)));
      return state;
    });
  }

  private static Snapshot toSnapshot(Response response) {
    Map<String, String> values = toMap(response);
    String version = values.remove("_version");
    return new Snapshot(version == null ? "0" : version, values);
  }

  static Map<String, String> toMap(Response response) {
    Map<String, String> map = new HashMap<>();
    if (response != null) {
      for (int i = 0; i + 1 < response.size(); i += 2) {
        map.put(response.get(i).toString(), response.get(i + 1).toString());
      }
    }
    return map;
  }

  private static Commit toCommit(Response response) {
    String outcome = response.get(0).toString();
    return switch (outcome) {
      case "ok" -> Commit.COMMITTED;
      case "conflict" -> Commit.CONFLICT;
      case "duplicate" -> Commit.DUPLICATE;
      default -> throw new FlowpayFailure(FlowpayFailure.Kind.REDIS_ERROR, "commit.lua answered '" + outcome + "'");
    };
  }
}
