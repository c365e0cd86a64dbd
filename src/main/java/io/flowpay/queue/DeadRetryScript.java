package io.flowpay.queue;

import io.flowpay.flow.Task;
import io.vertx.core.Future;
import java.util.List;

/** Twin of {@code lua/dead_retry.lua}: an operator's {@code flowpay dead retry}. */
record DeadRetryScript(QueueScope scope) {

  private static final LuaScript SCRIPT = LuaScript.load("dead_retry");

  /**
   * KEYS: 1 dead stream, 2 task stream, 3 chain hash, 4 audit stream, 5 stuck chains. ARGV: 1 dead entry
   * id, 2 task json (attempt reset), 3 by, 4 now, 5 chain ttl (s). Returns false when there was no such
   * dead letter.
   */
  Future<Boolean> run(String worker, String deadId, Task retried, String by) {
    List<String> keys = List.of(RedisKeys.dead(worker), RedisKeys.tasks(retried.workerId()),
        RedisKeys.chain(retried.chainId()), RedisKeys.deadAudit(worker),
        RedisKeys.stuckChainsOf(retried.chainId()));
    List<String> args = List.of(deadId, retried.encode(), by, String.valueOf(System.currentTimeMillis()),
        scope.chainTtl());
    return scope.run(SCRIPT, keys, args).map(response -> response.toInteger() == 1);
  }
}
