package io.flowpay.queue;

import io.flowpay.flow.Task;
import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * Twin of {@code lua/start.lua}: starts a chain, its counters and its first task, atomically.
 * Its KEYS and ARGV are also the first ones of {@code start_once.lua} (both call
 * {@code flowpay_start_chain} of {@code lib.lua}).
 */
record StartScript(QueueScope scope) {

  private static final LuaScript SCRIPT = LuaScript.load("start");

  /** Returns the first task's stream entry id. */
  Future<String> run(Task task) {
    return scope.run(SCRIPT, keys(task), args(task, scope)).map(Response::toString);
  }

  /** KEYS: 1 chain hash, 2 task stream. */
  static List<String> keys(Task task) {
    return new ArrayList<>(List.of(RedisKeys.chain(task.chainId()), RedisKeys.tasks(task.workerId())));
  }

  /** ARGV: 1 task json, 2 flow, 3 context id, 4 worker id, 5 now (ms), 6 chain ttl (s). */
  static List<String> args(Task task, QueueScope scope) {
    return new ArrayList<>(List.of(task.encode(), task.flow(), task.contextId(), task.workerId(),
        String.valueOf(System.currentTimeMillis()), scope.chainTtl()));
  }
}
