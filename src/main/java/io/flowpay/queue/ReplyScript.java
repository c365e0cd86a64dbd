package io.flowpay.queue;

import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Twin of {@code lua/reply.lua}: stores answers to one worker's calls as tasks on its stream (each
 * call answered once), and hands the worker new tasks in the same round trip.
 */
record ReplyScript(QueueScope scope) {

  private static final LuaScript SCRIPT = LuaScript.load("reply");

  /**
   * KEYS: 1 outbox, 2 task stream, 3 reconciling calls, 4 reconcile schedule, 5 unresolved calls, 6 lease.
   * ARGV: 1 group, 2 consumer, 3 how many new tasks to hand out (0: none), 4 lease token, then per answer: call id,
   * task json, ending.
   */
  Future<Replied> run(List<Answer> answers, int read) {
    String worker = answers.get(0).call().origin().workerId();
    List<String> args = new ArrayList<>(4 + 3 * answers.size());
    args.addAll(List.of(RedisKeys.GROUP, worker, String.valueOf(read), scope.token(worker)));
    for (Answer answer : answers) {
      if (!answer.call().origin().workerId().equals(worker)) {
        return Future.failedFuture(new IllegalArgumentException("answers to calls of workers " + worker + " and "
            + answer.call().origin().workerId() + " in one batch"));
      }
      args.add(answer.call().callId());
      args.add(answer.text());
      args.add(answer.ending());
    }
    List<String> keys = List.of(RedisKeys.outbox(worker), RedisKeys.tasks(worker), RedisKeys.reconciling(worker),
        RedisKeys.reconcileDue(worker), RedisKeys.unresolved(worker), RedisKeys.lease(worker));
    return scope.run(SCRIPT, keys, args).map(response -> replied(worker, answers, response));
  }

  /** Answers {one entry id or false per answer; the XREADGROUP answer, or false}. */
  private static Replied replied(String worker, List<Answer> answers, Response response) {
    List<Boolean> enqueued = new ArrayList<>(answers.size());
    Map<String, Integer> added = new HashMap<>();
    Response ids = response.get(0);
    for (int i = 0; i < answers.size(); i++) {
      Response id = ids.get(i);
      enqueued.add(id != null);
      if (id != null) {
        added.put(id.toString(), i);
      }
    }
    List<Delivery> deliveries = new ArrayList<>();
    for (StreamEntries.Entry entry : StreamEntries.entries(response.get(1))) {
      Integer mine = added.get(entry.id());
      deliveries.add(mine == null ? StreamEntries.delivery(worker, entry)
          : new Delivery(worker, entry.id(), answers.get(mine).task(), answers.get(mine).text(), 1));
    }
    return new Replied(enqueued, deliveries);
  }
}
