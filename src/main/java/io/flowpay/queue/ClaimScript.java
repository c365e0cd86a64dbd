package io.flowpay.queue;

import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Twin of {@code lua/claim.lua}: takes back a worker's tasks handed out and never acknowledged, with
 * how often each was delivered and how many runs of it were started (and died).
 */
record ClaimScript(QueueScope scope) {

  private static final LuaScript SCRIPT = LuaScript.load("claim");

  /**
   * KEYS: 1 task stream, 2 runs started, 3 lease. ARGV: 1 group, 2 consumer, 3 min idle (ms), 4 count, 5
   * first id ('-' or '(' .. id), 6 lease token, 7.. entry ids the caller holds. Answers {last id or '', {{id, deliveries,
   * task json, runs started, solo runs}, ...}}.
   */
  Future<Claimed> run(String worker, long minIdleMs, int count, String after, Collection<String> held) {
    List<String> args = new ArrayList<>(List.of(RedisKeys.GROUP, worker, String.valueOf(minIdleMs),
        String.valueOf(count), "-".equals(after) ? "-" : "(" + after, scope.token(worker)));
    args.addAll(held);
    return scope.run(SCRIPT, List.of(RedisKeys.tasks(worker), RedisKeys.runsStarted(worker), RedisKeys.lease(worker)), args)
        .map(response -> claimed(worker, response));
  }

  private static Claimed claimed(String worker, Response response) {
    List<Delivery> deliveries = new ArrayList<>();
    for (Response item : response.get(1)) {
      String raw = item.get(2).toString();
      deliveries.add(new Delivery(worker, item.get(0).toString(), StreamEntries.parse(raw.isEmpty() ? null : raw),
          raw, item.get(1).toLong(), item.get(3).toLong(), item.get(4).toLong()));
    }
    return new Claimed(deliveries, response.get(0).toString());
  }
}
