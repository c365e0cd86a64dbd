package io.flowpay.queue;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import java.util.List;

/**
 * What every part of the queue shares: the Redis client and the retention settings its scripts pass.
 *
 * @param chainTtlSeconds how long chain keys are kept past a chain's last run or due timer
 * @param runsPerContext run records kept per context
 * @param disableAfterFailures runs in a row that failed because the flow cannot run that disable it (0: never)
 */
record QueueScope(Redis redis, long chainTtlSeconds, int runsPerContext, int disableAfterFailures) {

  /** For scripts that pass no retention setting. */
  static QueueScope of(Redis redis) {
    return new QueueScope(redis, 0, 0, 0);
  }

  /** Runs {@code script} with these KEYS and ARGV (a twin's one way to Redis). */
  Future<Response> run(LuaScript script, List<String> keys, List<String> args) {
    return script.run(redis, keys, args);
  }

  String chainTtl() {
    return String.valueOf(chainTtlSeconds);
  }
}
