package io.flowpay.queue;

import io.vertx.core.Future;
import java.util.List;

/** Twin of {@code lua/runs_started.lua}: the runs started of entries delivered more than once, fenced by the lease. */
record RunsStartedScript(QueueScope scope) {

  private static final LuaScript SCRIPT = LuaScript.load("runs_started");

  /** A run of the delivery starts, {@code alone} on its worker or beside others. */
  Future<Void> starting(Delivery delivery, boolean alone) {
    return run(delivery, alone ? "alone" : "beside");
  }

  /** The delivery is done with (committed or parked): its records go. */
  Future<Void> done(Delivery delivery) {
    return run(delivery, "done");
  }

  /** KEYS: 1 runs started hash, 2 lease. ARGV: 1 lease token, 2 entry id, 3 alone | beside | done. */
  private Future<Void> run(Delivery delivery, String what) {
    String worker = delivery.workerId();
    return scope.run(SCRIPT, List.of(RedisKeys.runsStarted(worker), RedisKeys.lease(worker)),
        List.of(scope.token(worker), delivery.entryId(), what)).mapEmpty();
  }
}
