package io.flowpay.queue;

import io.flowpay.flow.Task;
import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import java.util.List;

/**
 * Twin of {@code lua/load.lua}: what a run starts from, in one round trip: its context's state and
 * version, and whether its flow is disabled.
 */
record LoadScript(QueueScope scope) {

  private static final LuaScript SCRIPT = LuaScript.load("load");

  /**
   * KEYS: 1 context hash, 2 flow hash, both of the task's worker; outside Cluster mode also 3 and 4, the context's
   * state and run records under the keys before the Cluster layout, and 5 its run records now (moved at its
   * first run after an upgrade). Answers {flat context hash, disabled_at or false, last error or false}.
   */
  Future<Snapshot> run(Task task) {
    String worker = task.workerId(), context = task.contextId();
    List<String> keys = scope.cluster()
        ? List.of(RedisKeys.context(worker, context), RedisKeys.flow(worker, task.flow()))
        : List.of(RedisKeys.context(worker, context), RedisKeys.flow(worker, task.flow()),
            RedisKeys.legacyContext(context), RedisKeys.legacyRuns(context), RedisKeys.runs(worker, context));
    return scope.run(SCRIPT, keys, List.of()).map(response -> snapshot(task, response));
  }

  private static Snapshot snapshot(Task task, Response response) {
    Snapshot state = ContextStore.toSnapshot(response.get(0));
    if (response.get(1) == null) {
      return state;
    }
    Response lastError = response.get(2);
    return new Snapshot(state.version(), state.values(),
        FlowSwitches.disabled(task.flow(), lastError == null ? null : lastError.toString()));
  }
}
