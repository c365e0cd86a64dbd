package io.flowpay.queue;

import io.vertx.core.Future;
import java.util.List;

/** Twin of {@code lua/pool.lua}: a pool member's heartbeat (or leaving), answered with the live members. */
record PoolScript(QueueScope scope) {

  private static final LuaScript SCRIPT = LuaScript.load("pool");

  /** KEYS: 1 members. ARGV: 1 process id, 2 ttl (ms), 3 'join' | 'leave'. Returns the live members. */
  Future<Integer> run(String pool, String process, long ttlMs, boolean leave) {
    return scope.run(SCRIPT, List.of(RedisKeys.poolMembers(pool)),
            List.of(process, String.valueOf(ttlMs), leave ? "leave" : "join"))
        .map(answer -> answer.toInteger());
  }
}
