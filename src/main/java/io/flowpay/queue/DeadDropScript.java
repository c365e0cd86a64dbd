package io.flowpay.queue;

import io.vertx.core.Future;
import java.util.List;

/** Twin of {@code lua/dead_drop.lua}: an operator's {@code flowpay dead drop}. */
record DeadDropScript(QueueScope scope) {

  private static final LuaScript SCRIPT = LuaScript.load("dead_drop");

  /**
   * KEYS: 1 dead stream, 2 audit stream, 3 chain hash ('-' when the entry is no task), 4 stuck chains.
   * ARGV: 1 dead entry id, 2 by, 3 now. Returns false when there was no such dead letter.
   *
   * @param letter the dead letter as read before, or null
   */
  Future<Boolean> run(String worker, String deadId, DeadLetter letter, String by) {
    String chainId = letter == null || letter.task() == null ? "-" : letter.task().chainId();
    String chain = "-".equals(chainId) ? "-" : RedisKeys.chain(chainId);
    List<String> keys = List.of(RedisKeys.dead(worker), RedisKeys.deadAudit(worker), chain,
        RedisKeys.stuckChainsOf(chainId));
    return scope.run(SCRIPT, keys, List.of(deadId, by, String.valueOf(System.currentTimeMillis())))
        .map(response -> response.toInteger() == 1);
  }
}
