package io.flowpay.queue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Twin of {@code lua/event_unhandled.lua}: records once a Stripe event no flow handles. */
record EventUnhandledScript(QueueScope scope) {

  private static final LuaScript SCRIPT = LuaScript.load("event_unhandled");

  /**
   * KEYS: 1 unhandled stream, 2 event mark. ARGV: 1 event id, 2 type, 3 reason, 4 now (ms), 5 event
   * json, 6 stream cap, 7 mark ttl (s).
   */
  Future<Marked> run(String stream, JsonObject event, String reason, int cap, long markTtlSeconds) {
    String eventId = event.getString("id");
    List<String> args = List.of(eventId, String.valueOf(event.getValue("type")), reason,
        String.valueOf(System.currentTimeMillis()), event.encode(), String.valueOf(cap), String.valueOf(markTtlSeconds));
    return scope.run(SCRIPT, List.of(stream, StartMark.unhandledEvent(eventId).key()), args).map(Marked::of);
  }
}
