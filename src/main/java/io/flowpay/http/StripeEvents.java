package io.flowpay.http;

import io.flowpay.flow.Task;
import io.flowpay.queue.Marked;
import io.flowpay.queue.ReconcilingCalls;
import io.flowpay.queue.RedisTaskQueue;
import io.flowpay.queue.StartMark;
import io.flowpay.queue.StripeEventLog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import java.util.List;

/**
 * Stripe events in Redis, each taken at most once per event id for {@link #MARK_TTL_SECONDS}
 * (Stripe retries a delivery for up to three days): either it starts a chain
 * ({@link RedisTaskQueue#startOnce}: the writes of {@code start.lua} plus the mark, atomically) or it is
 * recorded in the capped stream {@link #UNHANDLED} ({@code lua/event_unhandled.lua}). The Redis side is
 * {@link StripeEventLog}.
 */
public final class StripeEvents {

  public static final String UNHANDLED = StripeEventLog.UNHANDLED;
  static final long MARK_TTL_SECONDS = 3 * 24 * 3600;
  static final int UNHANDLED_CAP = 1000;

  /**
   * @param taken true when this delivery was the first: the chain was started or the event recorded
   * @param earlier for a duplicate, what the first delivery did: its chain id, or {@code unhandled}
   */
  public record Outcome(boolean taken, String earlier) {

    static Outcome of(Marked marked) {
      return new Outcome(marked.taken(), marked.earlier());
    }
  }

  private final RedisTaskQueue queue;
  private final StripeEventLog log;
  private final ReconcilingCalls reconciling;

  public StripeEvents(Redis redis, RedisTaskQueue queue) {
    this.queue = queue;
    this.log = queue.stripeEvents();
    this.reconciling = new ReconcilingCalls(redis);
  }

  /** The Redis key that marks an event as taken by a chain started on {@code worker}. */
  public static String mark(String worker, String eventId) {
    return StartMark.stripeEvent(worker, eventId).key();
  }
  /**
   * When the event's object was made by a call whose outcome is being reconciled (its
   * {@code metadata[flowpay_call]} and {@code [flowpay_worker]}), that call is tried again now: the
   * object exists, so the look-up finds it. Never fails: a missed nudge only leaves the call to its
   * schedule.
   */
  public Future<Boolean> nudgeReconciliation(JsonObject event) {
    if (!(event.getValue("data") instanceof JsonObject data) || !(data.getValue("object") instanceof JsonObject object)
        || !(object.getValue("metadata") instanceof JsonObject metadata)
        || !(metadata.getValue("flowpay_call") instanceof String call)
        || !(metadata.getValue("flowpay_worker") instanceof String worker)) {
      return Future.succeededFuture(false);
    }
    return reconciling.nudge(worker, call).otherwise(false);
  }

  /**
   * Starts {@code task} (a {@link Task#event} task) as a new chain, unless its event was taken before. Two steps,
   * each one Redis Cluster slot: an event recorded as unhandled before stays so; then the start and its mark, atomic,
   * with the worker the event's route names.
   */
  public Future<Outcome> start(Task task) {
    return queue.chains().marked(StartMark.unhandledEvent(task.eventId())).compose(unhandled -> unhandled != null
        ? Future.succeededFuture(new Outcome(false, unhandled))
        : queue.startOnce(task, StartMark.stripeEvent(task.workerId(), task.eventId()), task.chainId(), MARK_TTL_SECONDS)
            .map(earlier -> new Outcome(earlier == null, earlier)));
  }

  /** Records an event no flow runs for, with the reason, unless it was taken before. */
  public Future<Outcome> unhandled(JsonObject event, String reason) {
    return log.unhandled(event, reason, UNHANDLED_CAP, MARK_TTL_SECONDS).map(Outcome::of);
  }

  /** The newest {@code count} unhandled events, newest first. */
  public Future<List<JsonObject>> recentUnhandled(int count) {
    return log.recentUnhandled(count);
  }
}
