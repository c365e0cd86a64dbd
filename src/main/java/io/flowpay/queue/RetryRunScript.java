package io.flowpay.queue;

import io.flowpay.flow.Task;
import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import java.util.List;

/** Twin of {@code lua/retry_run.lua}: an operator's {@code flowpay runs --retry} of a failed run. */
record RetryRunScript(QueueScope scope) {

  private static final LuaScript SCRIPT = LuaScript.load("retry_run");

  /**
   * KEYS: 1 chain hash, 2 task stream, 3 audit stream. ARGV: 1 task json, 2 by, 3 now, 4 chain ttl (s),
   * 5 context id, 6 task id. Returns the new stream entry id.
   */
  Future<String> run(Task retried, String by, String contextId, String taskId) {
    List<String> keys = List.of(RedisKeys.chain(retried.chainId()), RedisKeys.tasks(retried.workerId()),
        RedisKeys.deadAudit(retried.workerId()));
    List<String> args = List.of(retried.encode(), by, String.valueOf(System.currentTimeMillis()),
        scope.chainTtl(), contextId, taskId);
    return scope.run(SCRIPT, keys, args).map(Response::toString);
  }
}
