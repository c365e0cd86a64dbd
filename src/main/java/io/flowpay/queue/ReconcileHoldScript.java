package io.flowpay.queue;

import io.flowpay.flow.Call;
import io.vertx.core.Future;
import java.util.List;

/** Twin of {@code lua/reconcile_hold.lua}: keeps a call of unknown outcome for reconciling, while unanswered. */
record ReconcileHoldScript(QueueScope scope) {

  private static final LuaScript SCRIPT = LuaScript.load("reconcile_hold");

  /**
   * KEYS: 1 outbox, 2 reconciling calls, 3 reconcile schedule, 4 lease. ARGV: 1 call id, 2 state json, 3
   * when to try next (ms), 4 lease token. Returns false when the call was answered already (nothing kept).
   */
  Future<Boolean> run(Call call, ReconcileState state, long dueAt) {
    String worker = call.origin().workerId();
    List<String> keys = List.of(RedisKeys.outbox(worker), RedisKeys.reconciling(worker),
        RedisKeys.reconcileDue(worker), RedisKeys.lease(worker));
    return scope.run(SCRIPT, keys, List.of(call.callId(), state.toJson().encode(), String.valueOf(dueAt),
            scope.token(worker)))
        .map(answer -> answer.toInteger() == 1);
  }
}
