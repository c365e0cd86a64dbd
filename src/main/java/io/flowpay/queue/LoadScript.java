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
   * KEYS: 1 context hash, 2 flow hash, both of the task's worker. Answers {flat context hash, disabled_at or
   * false, last error or false}.
   */
  Future<Snapshot> run(Task task) {
    return scope.run(SCRIPT, List.of(RedisKeys.context(task.workerId(), task.contextId()),
            RedisKeys.flow(task.workerId(), task.flow())), List.of())
        .map(response -> snapshot(task, response));
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
