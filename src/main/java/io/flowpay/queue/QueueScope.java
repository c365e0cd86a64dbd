package io.flowpay.queue;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import java.util.List;

/**
 * What every part of the queue shares: the Redis client, the lease tokens a worker's writes are fenced
 * with, and the retention settings its scripts pass.
 *
 * @param fences the lease token this process holds per worker id, passed with every write of a worker
 * @param chainTtlSeconds how long chain keys are kept past a chain's last run or due timer
 * @param runsPerContext run records kept per context
 * @param disableAfterFailures runs in a row that failed because the flow cannot run that disable it (0: never)
 * @param cluster Redis Cluster: a script's keys must share a slot, so none reaches keys of the layout before it
 */
record QueueScope(Redis redis, Fences fences, long chainTtlSeconds, int runsPerContext, int disableAfterFailures,
    boolean cluster) {

  /** For scripts that pass no retention setting. */
  static QueueScope of(Redis redis, Fences fences) {
    return new QueueScope(redis, fences, 0, 0, 0, false);
  }

  /** The token {@code worker}'s writes are fenced with ({@code flowpay_fence} in lib.lua checks it). */
  String token(String worker) {
    return fences.token(worker);
  }

  /** Runs {@code script} with these KEYS and ARGV (a twin's one way to Redis). */
  Future<Response> run(LuaScript script, List<String> keys, List<String> args) {
    return script.run(redis, keys, args);
  }

  String chainTtl() {
    return String.valueOf(chainTtlSeconds);
  }
}
