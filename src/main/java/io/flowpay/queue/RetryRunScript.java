package io.flowpay.queue;

import io.flowpay.flow.Task;
import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import java.util.List;

/**
 * Twin of {@code lua/retry_run.lua}: an operator's {@code flowpay runs --retry} of a failed run. When the task's
 * chain has its home on another worker (another Cluster slot), the chain's part and the task go through the
 * worker's forward stream.
 */
record RetryRunScript(QueueScope scope) {

  private static final LuaScript SCRIPT = LuaScript.load("retry_run");

  /**
   * KEYS: 1 chain hash (the forward stream when the chain's home is another worker), 2 task stream, 3 audit
   * stream. ARGV: 1 task json, 2 by, 3 now, 4 chain ttl (s), 5 context id, 6 task id, 7 the chain id when its home
   * is another worker (else ''), 8 the task's worker. Returns the new stream entry id (or forward entry id).
   */
  Future<String> run(Task retried, String by, String contextId, String taskId) {
    String worker = retried.workerId();
    boolean here = CommitScript.chainIsAt(retried.chainId(), worker);
    List<String> keys = List.of(here ? RedisKeys.chain(retried.chainId()) : RedisKeys.forward(worker),
        RedisKeys.tasks(worker), RedisKeys.deadAudit(worker));
    List<String> args = List.of(retried.encode(), by, String.valueOf(System.currentTimeMillis()),
        scope.chainTtl(), contextId, taskId, here ? "" : retried.chainId(), worker);
    return scope.run(SCRIPT, keys, args).map(Response::toString);
  }
}
