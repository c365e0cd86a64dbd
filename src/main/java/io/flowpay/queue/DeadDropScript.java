package io.flowpay.queue;

import io.vertx.core.Future;
import java.util.List;

/**
 * Twin of {@code lua/dead_drop.lua}: an operator's {@code flowpay dead drop}. When the task's chain has its home on
 * another worker (another Cluster slot), the chain's part goes through the worker's forward stream.
 */
record DeadDropScript(QueueScope scope) {

  private static final LuaScript SCRIPT = LuaScript.load("dead_drop");

  /**
   * KEYS: 1 dead stream, 2 audit stream, 3 chain hash, 4 stuck chains (3 and 4: the forward stream when the
   * chain's home is another worker, the dead stream when the entry is no task). ARGV: 1 dead entry id, 2 by,
   * 3 now, 4 '' (the chain is KEYS 3 and 4), '-' (no chain) or the chain id whose home is another worker,
   * 5 chain ttl (s). Returns false when there was no such dead letter.
   *
   * @param letter the dead letter as read before, or null
   */
  Future<Boolean> run(String worker, String deadId, DeadLetter letter, String by) {
    String chainId = letter == null || letter.task() == null ? null : letter.task().chainId();
    String where;
    String chain;
    String stuck;
    if (chainId == null) {
      where = "-";
      chain = stuck = RedisKeys.dead(worker);
    } else if (CommitScript.chainIsAt(chainId, worker)) {
      where = "";
      chain = RedisKeys.chain(chainId);
      stuck = RedisKeys.stuckChainsOf(chainId);
    } else {
      where = chainId;
      chain = stuck = RedisKeys.forward(worker);
    }
    List<String> keys = List.of(RedisKeys.dead(worker), RedisKeys.deadAudit(worker), chain, stuck);
    List<String> args = List.of(deadId, by, String.valueOf(System.currentTimeMillis()), where, scope.chainTtl());
    return scope.run(SCRIPT, keys, args).map(response -> response.toInteger() == 1);
  }
}
