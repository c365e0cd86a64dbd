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
   * KEYS, all of the worker: 1 task stream, 2 dead stream, 3 chain hash, 4 chain runs, 5 context runs, 6 stuck
   * chains (3, 4, 6: the forward stream when the chain's home is another worker, or the entry is no task), 7 lease,
   * 8 forward stream. ARGV: 1 group, 2 entry id, 3 raw entry, 4 reason, 5 error, 6 deliveries, 7 now, 8 run record
   * json ('' when the entry is no task), 9 chain ttl (s), 10 max run records per context, 11 lease token, 12 the
   * chain id when its home is another worker. Returns false when the entry had been acknowledged already (nothing
   * parked).
   */
  Future<Boolean> run(Delivery delivery, String reason, String error) {
    Task task = delivery.task();
    String worker = delivery.workerId();
    long now = System.currentTimeMillis();
    String record = task == null ? "" : RunRecord.dead(task, new RunError(reason, error, null, 0), now).toJson().encode();
    String forward = RedisKeys.forward(worker);
    boolean chainHere = task != null && CommitScript.chainIsAt(task.chainId(), worker);
    List<String> keys = List.of(RedisKeys.tasks(worker), RedisKeys.dead(worker),
        chainHere ? RedisKeys.chain(task.chainId()) : forward, chainHere ? RedisKeys.chainRuns(task.chainId()) : forward,
        task == null ? forward : RedisKeys.runs(worker, task.contextId()),
        chainHere ? RedisKeys.stuckChainsOf(task.chainId()) : forward, RedisKeys.lease(worker), forward);
    List<String> args = List.of(RedisKeys.GROUP, delivery.entryId(), String.valueOf(delivery.raw()), reason, error,
        String.valueOf(delivery.deliveries()), String.valueOf(now), record, scope.chainTtl(),
        String.valueOf(scope.runsPerContext()), scope.token(worker), task == null || chainHere ? "" : task.chainId());
    return scope.run(SCRIPT, keys, args).map(response -> response.toInteger() == 1);
  }
}
