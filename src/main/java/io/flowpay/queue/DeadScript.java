package io.flowpay.queue;

import io.flowpay.flow.RunError;
import io.flowpay.flow.RunRecord;
import io.flowpay.flow.Task;
import io.vertx.core.Future;
import java.util.List;

/** Twin of {@code lua/dead.lua}: parks an entry that will not run in the dead-letter stream, and acknowledges it. */
record DeadScript(QueueScope scope) {

  private static final LuaScript SCRIPT = LuaScript.load("dead");

  /**
   * KEYS: 1 task stream, 2 dead stream, 3 chain hash, 4 chain runs, 5 context runs, 6 stuck chains, 7 lease.
   * ARGV: 1 group, 2 entry id, 3 raw entry, 4 reason, 5 error, 6 deliveries, 7 now, 8 run record json
   * ('' when the entry is no task), 9 chain ttl (s), 10 max run records per context, 11 lease token. Returns false when
   * the entry had been acknowledged already (nothing parked).
   */
  Future<Boolean> run(Delivery delivery, String reason, String error) {
    Task task = delivery.task();
    long now = System.currentTimeMillis();
    String record = task == null ? "" : RunRecord.dead(task, new RunError(reason, error, null, 0), now).toJson().encode();
    List<String> keys = List.of(RedisKeys.tasks(delivery.workerId()), RedisKeys.dead(delivery.workerId()),
        RedisKeys.chain(task == null ? "-" : task.chainId()), RedisKeys.chainRuns(task == null ? "-" : task.chainId()),
        RedisKeys.runs(task == null ? "-" : task.contextId()), RedisKeys.stuckChains(),
        RedisKeys.lease(delivery.workerId()));
    List<String> args = List.of(RedisKeys.GROUP, delivery.entryId(), String.valueOf(delivery.raw()), reason, error,
        String.valueOf(delivery.deliveries()), String.valueOf(now), record, scope.chainTtl(),
        String.valueOf(scope.runsPerContext()), scope.token(delivery.workerId()));
    return scope.run(SCRIPT, keys, args).map(response -> response.toInteger() == 1);
  }
}
