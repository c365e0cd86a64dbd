package io.flowpay.http;

import io.flowpay.flow.Task;
import io.flowpay.queue.LuaScript;
import io.flowpay.queue.ReconcilingCalls;
import io.flowpay.queue.RedisTaskQueue;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * Stripe events in Redis, each taken at most once per event id for {@link #MARK_TTL_SECONDS}
 * (Stripe retries a delivery for up to three days): either it starts a chain
 * ({@link RedisTaskQueue#startOnce}: the writes of {@code start.lua} plus the mark, atomically) or it is
 * recorded in the capped stream {@link #UNHANDLED} ({@code lua/event_unhandled.lua}).
 */
public final class StripeEvents {

  public static final String UNHANDLED = "flowpay:webhooks:unhandled";
  static final long MARK_TTL_SECONDS = 3 * 24 * 3600;
  static final int UNHANDLED_CAP = 1000;

  /**
   * @param taken true when this delivery was the first: the chain was started or the event recorded
   * @param earlier for a duplicate, what the first delivery did: its chain id, or {@code unhandled}
   */
  public record Outcome(boolean taken, String earlier) {

    static Outcome of(Response response) {
      boolean taken = response.get(0).toInteger() == 1;
      return new Outcome(taken, taken ? null : response.get(1).toString());
    }
  }

  private final Redis redis;
  private final RedisTaskQueue queue;
  private final LuaScript unhandled = LuaScript.load("event_unhandled");
  private final ReconcilingCalls reconciling;

  public StripeEvents(Redis redis, RedisTaskQueue queue) {
    this.redis = redis;
    this.queue = queue;
    this.reconciling = new ReconcilingCalls(redis);
  }

  public static String mark(String eventId) {
    return "flowpay:event:" + eventId;
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

  /** Starts {@code task} (a {@link Task#event} task) as a new chain, unless its event was taken before. */
  public Future<Outcome> start(Task task) {
    return queue.startOnce(task, mark(task.eventId()), task.chainId(), MARK_TTL_SECONDS)
        .map(earlier -> new Outcome(earlier == null, earlier));
  }

  /** Records an event no flow runs for, with the reason, unless it was taken before. */
  public Future<Outcome> unhandled(JsonObject event, String reason) {
    String eventId = event.getString("id");
    List<String> args = List.of(eventId, String.valueOf(event.getValue("type")), reason,
        String.valueOf(System.currentTimeMillis()), event.encode(), String.valueOf(UNHANDLED_CAP),
        String.valueOf(MARK_TTL_SECONDS));
    return unhandled.run(redis, List.of(UNHANDLED, mark(eventId)), args).map(Outcome::of);
  }

  /** The newest {@code count} unhandled events, newest first. */
  public Future<List<JsonObject>> recentUnhandled(int count) {
    Request range = Request.cmd(Command.XREVRANGE).arg(UNHANDLED).arg("+").arg("-").arg("COUNT").arg(count);
    return redis.send(range).map(StripeEvents::unhandledEntries);
  }

  private static List<JsonObject> unhandledEntries(Response response) {
    List<JsonObject> entries = new ArrayList<>();
    response.forEach(entry -> {
      Response fields = entry.get(1);
      JsonObject json = new JsonObject().put("id", entry.get(0).toString());
      for (int i = 0; i + 1 < fields.size(); i += 2) {
        String name = fields.get(i).toString();
        String value = fields.get(i + 1).toString();
        json.put(name, "event".equals(name) ? new JsonObject(value) : "received_at".equals(name) ? Long.valueOf(value) : value);
      }
      entries.add(json);
    });
    return entries;
  }
}
