package io.flowpay.queue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * Stripe events in Redis, each taken at most once per event id for as long as its mark lives
 * ({@link StartMark#stripeEvent}): either it starts a chain ({@link Chains#startOnce}) or it is recorded in the capped stream {@link #UNHANDLED}
 * ({@code lua/event_unhandled.lua}, twin {@link EventUnhandledScript}).
 */
public final class StripeEventLog {

  public static final String UNHANDLED = "flowpay:webhooks:unhandled";

  private final QueueScope scope;

  StripeEventLog(QueueScope scope) {
    this.scope = scope;
  }

  /** Records an event no flow runs for, with the reason, unless it was taken before. */
  public Future<Marked> unhandled(JsonObject event, String reason, int cap, long markTtlSeconds) {
    return new EventUnhandledScript(scope).run(UNHANDLED, event, reason, cap, markTtlSeconds);
  }

  /** The newest {@code count} unhandled events, newest first. */
  public Future<List<JsonObject>> recentUnhandled(int count) {
    Request range = Request.cmd(Command.XREVRANGE).arg(UNHANDLED).arg("+").arg("-").arg("COUNT").arg(count);
    return scope.redis().send(range).map(StripeEventLog::unhandledEntries);
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
