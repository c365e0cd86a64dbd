package io.flowpay.queue;

import io.flowpay.flow.Task;
import io.vertx.core.Future;
import java.util.List;

/**
 * Twin of {@code lua/dead_retry.lua}: an operator's {@code flowpay dead retry}. When the task's chain has its home
 * on another worker (another Cluster slot), the chain's part and the task go through the worker's forward stream.
 */
record DeadRetryScript(QueueScope scope) {

  private static final LuaScript SCRIPT = LuaScript.load("dead_retry");

  /**
   * KEYS: 1 dead stream, 2 task stream, 3 chain hash, 4 audit stream, 5 stuck chains (3 and 5: the forward stream
   * when the chain's home is another worker). ARGV: 1 dead entry id, 2 task json (attempt reset), 3 by, 4 now,
   * 5 chain ttl (s), 6 the chain id when its home is another worker (else ''), 7 the task's worker, 8 the task id.
   * Returns false when there was no such dead letter.
   */
  Future<Boolean> run(String worker, String deadId, Task retried, String by) {
    String chainId = retried.chainId();
    boolean here = CommitScript.chainIsAt(chainId, retried.workerId());
    String forward = RedisKeys.forward(retried.workerId());
    List<String> keys = List.of(RedisKeys.dead(worker), RedisKeys.tasks(retried.workerId()),
        here ? RedisKeys.chain(chainId) : forward, RedisKeys.deadAudit(worker),
        here ? RedisKeys.stuckChainsOf(chainId) : forward);
    List<String> args = List.of(deadId, retried.encode(), by, String.valueOf(System.currentTimeMillis()),
        scope.chainTtl(), here ? "" : chainId, retried.workerId(), retried.taskId());
    return scope.run(SCRIPT, keys, args).map(response -> response.toInteger() == 1);
  }
}
