package io.flowpay.queue;

import io.flowpay.flow.Task;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;

/**
 * Chains: starting one (its counters and first task, atomically; once per mark when asked), its
 * status and counters, its run records, and how many chains are stuck.
 */
public final class Chains {

  private final QueueScope scope;
  private final TaskStream tasks;

  Chains(QueueScope scope, TaskStream tasks) {
    this.scope = scope;
    this.tasks = tasks;
  }

  /** Enqueues a main-flow task as the first of a new chain. Returns the stream entry id. */
  public Future<String> start(Task task) {
    return tasks.ensureGroupOnce(task.workerId()).compose(made -> new StartScript(scope).run(task));
  }

  /**
   * Starts a chain as {@link #start} does unless {@code mark} is set, and sets it to {@code markValue}
   * for {@code markTtlSeconds}, all atomically. Returns null when the chain was started, else the
   * mark's value (nothing was started).
   */
  public Future<String> startOnce(Task task, StartMark mark, String markValue, long markTtlSeconds) {
    return tasks.ensureGroupOnce(task.workerId())
        .compose(made -> new StartOnceScript(scope).run(task, mark, markValue, markTtlSeconds))
        .map(Marked::earlier);
  }

  /** The value a mark was set to by the start it made happen, or null when it is not set. */
  public Future<String> marked(StartMark mark) {
    return scope.redis().send(Request.cmd(Command.GET).arg(mark.key())).map(value -> value == null ? null : value.toString());
  }

  /** The chain's counters and status, or null when there is no such chain. */
  public Future<ChainStatus> chain(String chainId) {
    return scope.redis().batch(List.of(Request.cmd(Command.HGETALL).arg(RedisKeys.chain(chainId)),
            Request.cmd(Command.XLEN).arg(RedisKeys.chainRuns(chainId))))
        .map(answers -> ChainStatus.of(chainId, Fields.toMap(answers.get(0)), answers.get(1).toLong()));
  }

  /** The context the chain was started in, or null when there is no such chain. */
  public Future<String> contextOf(String chainId) {
    return scope.redis().send(Request.cmd(Command.HGET).arg(RedisKeys.chain(chainId)).arg("context_id"))
        .map(context -> context == null ? null : context.toString());
  }

  /** The chain's first {@code count} run records, oldest first. */
  public Future<JsonArray> runs(String chainId, int count) {
    return scope.redis().send(Request.cmd(Command.XRANGE).arg(RedisKeys.chainRuns(chainId)).arg("-").arg("+")
        .arg("COUNT").arg(count)).map(ContextStore::records);
  }

  /** Run records of a chain after {@code fromId}, waiting up to {@code blockMs} for the first. */
  public Future<List<StreamEntries.Entry>> chainRuns(RedisConnection connection, String chainId, String fromId,
      long blockMs) {
    Request request = Request.cmd(Command.XREAD).arg("COUNT").arg(500).arg("BLOCK").arg(blockMs)
        .arg("STREAMS").arg(RedisKeys.chainRuns(chainId)).arg(fromId);
    return connection.send(request).map(StreamEntries::entries);
  }

  /** How many chains are stuck (a task parked) within the chains' retention: of every home worker, and the layout before. */
  public Future<Long> stuckChains() {
    return new QueueReader(scope.redis()).workerIds().compose(workers -> {
      List<String> keys = new java.util.ArrayList<>(List.of(RedisKeys.legacyStuckChains()));
      workers.forEach(worker -> keys.add(RedisKeys.stuckChains(worker)));
      return QueueReader.each(keys, key -> scope.redis().send(Request.cmd(Command.ZCARD).arg(key)).map(Response::toLong))
          .map(counts -> counts.stream().mapToLong(Long::longValue).sum());
    });
  }
}
