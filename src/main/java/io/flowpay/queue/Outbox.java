package io.flowpay.queue;

import io.flowpay.flow.Call;
import io.flowpay.flow.Task;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A worker's outbox: calls committed and not answered yet. A call leaves it when its answer is stored
 * as a task on the worker's stream ({@code lua/reply.lua}, twin {@link ReplyScript}), exactly once.
 */
public final class Outbox {

  private static final System.Logger LOG = System.getLogger(Outbox.class.getName());

  private final Redis redis;
  private final ReplyScript reply;

  Outbox(QueueScope scope) {
    this.redis = scope.redis();
    this.reply = new ReplyScript(scope);
  }

  /**
   * Calls committed by {@code worker} and not answered yet, less those being reconciled (their
   * outcome at Stripe is not known; the worker's reconciler tries them on its own schedule).
   */
  public Future<List<Call>> outbox(String worker) {
    return redis.batch(List.of(Request.cmd(Command.HGETALL).arg(RedisKeys.outbox(worker)),
            Request.cmd(Command.HKEYS).arg(RedisKeys.reconciling(worker))))
        .map(answers -> {
          Set<String> reconciling = new HashSet<>();
          answers.get(1).forEach(id -> reconciling.add(id.toString()));
          List<Call> calls = new ArrayList<>();
          Fields.toMap(answers.get(0)).forEach((id, json) -> {
            if (!reconciling.contains(id)) {
              decodeCall(worker, id, json, calls);
            }
          });
          return calls;
        });
  }

  /** An outbox entry this version cannot read is left where it is, for an operator, and said once. */
  private static void decodeCall(String worker, String id, String json, List<Call> calls) {
    try {
      calls.add(Call.fromJson(new JsonObject(json)));
    } catch (RuntimeException | StackOverflowError unreadable) {
      LOG.log(System.Logger.Level.ERROR, "worker {0}: outbox entry {1} cannot be read as a call ({2}); it is not"
          + " re-sent and stays in {3} for an operator", worker, id, unreadable.toString(), RedisKeys.outbox(worker));
    }
  }

  /**
   * Those of a run's calls still in the outbox, i.e. not answered yet: after a commit that turned
   * out to be a duplicate (its first try committed, but the answer was lost), they still need sending.
   */
  public Future<List<Call>> unanswered(String worker, List<Call> calls) {
    if (calls.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    Request request = Request.cmd(Command.HMGET).arg(RedisKeys.outbox(worker));
    calls.forEach(call -> request.arg(call.callId()));
    return redis.send(request).map(values -> {
      List<Call> unanswered = new ArrayList<>();
      for (int i = 0; i < calls.size(); i++) {
        if (values.get(i) != null) {
          unanswered.add(calls.get(i));
        }
      }
      return unanswered;
    });
  }

  /**
   * Enqueues the task that answers {@code call} on the caller's own stream and removes the call
   * from the outbox. Returns false when the call had been answered already (nothing enqueued).
   */
  public Future<Boolean> reply(Call call, Task answer) {
    return reply(List.of(Answer.of(call, answer)), 0).map(replied -> replied.enqueued().get(0));
  }

  /**
   * As {@link #reply(Call, Task)} for several answers to calls of one worker, in one round trip,
   * which also hands that worker up to {@code read} new tasks of its stream (as
   * {@link TaskStream#read} would; 0: none). An answer handed out so comes back as the task it was
   * sent as, without decoding.
   */
  public Future<Replied> reply(List<Answer> answers, int read) {
    return reply.run(answers, read);
  }
}
