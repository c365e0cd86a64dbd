package io.flowpay.queue;

import io.vertx.core.Future;
import java.util.List;

/** Twin of {@code lua/lease.lua}: takes, renews or releases a worker id's lease. */
record LeaseScript(QueueScope scope) {

  private static final LuaScript SCRIPT = LuaScript.load("lease");

  enum Action { TAKE, RENEW, RELEASE }

  /**
   * KEYS: 1 lease key. ARGV: 1 'take' | 'renew' | 'release', 2 token, 3 ttl (ms). True when done; false when
   * another token holds the lease (or, to renew, nobody does).
   */
  Future<Boolean> run(Action action, String worker, String token, long ttlMs) {
    return scope.run(SCRIPT, List.of(RedisKeys.lease(worker)),
            List.of(action.name().toLowerCase(java.util.Locale.ROOT), token, String.valueOf(ttlMs)))
        .map(answer -> answer.toInteger() == 1);
  }
}
