package io.flowpay.queue;

import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import java.util.List;

/** Twin of {@code lua/timers.lua}: moves a worker's due {@code flow.after} timers into its task stream. */
record TimersScript(QueueScope scope) {

  private static final LuaScript SCRIPT = LuaScript.load("timers");

  /** KEYS: 1 timers zset, 2 task stream, 3 lease. ARGV: 1 most to move, 2 lease token. Returns how many were moved. */
  Future<Integer> run(String worker, int count) {
    return scope.run(SCRIPT, List.of(RedisKeys.timers(worker), RedisKeys.tasks(worker), RedisKeys.lease(worker)),
            List.of(String.valueOf(count), scope.token(worker)))
        .map(Response::toInteger);
  }
}
