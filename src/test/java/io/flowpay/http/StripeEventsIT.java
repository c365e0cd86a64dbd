package io.flowpay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.TestRedis;
import io.flowpay.flow.Caller;
import io.flowpay.flow.Ids;
import io.flowpay.flow.Task;
import io.flowpay.queue.RedisKeys;
import io.flowpay.queue.RedisTaskQueue;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Lua side of webhooks against a real Redis. */
@ExtendWith(TestRedis.Extension.class)
class StripeEventsIT {

  private Vertx vertx;
  private Redis redis;
  private RedisTaskQueue queue;
  private StripeEvents events;

  @BeforeEach
  void connect(TestRedis server) {
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(server.url())
        .setPreferredProtocolVersion(ProtocolVersion.RESP2));
    queue = new RedisTaskQueue(redis);
    events = new StripeEvents(redis, queue);
  }

  @AfterEach
  void close() {
    redis.close();
    vertx.close().await();
  }

  @Test
  void eventStartWritesWhatStartWrites() {
    String worker = "w-" + Ids.newId().substring(0, 12);
    Task plain = Task.main("on_x", worker, "ctx-1", Caller.CLI, new JsonObject());
    Task event = Task.event("on_x", worker, "ctx-1", new JsonObject(), "evt_" + Ids.newId());

    queue.start(plain).await();
    assertTrue(events.start(event).await().taken());

    Map<String, String> fromStart = hash(RedisKeys.chain(plain.chainId()));
    Map<String, String> fromEvent = hash(RedisKeys.chain(event.chainId()));
    assertEquals(fromStart.keySet(), fromEvent.keySet());
    fromStart.remove("started_at");
    fromEvent.remove("started_at");
    assertEquals(fromStart, fromEvent);
    assertEquals(ttl(RedisKeys.chain(plain.chainId())), ttl(RedisKeys.chain(event.chainId())), 5);
    assertEquals(2, send(Request.cmd(Command.XLEN).arg(RedisKeys.tasks(worker))).toLong());
  }

  @Test
  void secondStartOfOneEventIsADuplicateNamingTheFirstChain() {
    String eventId = "evt_" + Ids.newId();
    String worker = "w-" + Ids.newId().substring(0, 12);
    Task first = Task.event("on_x", worker, "ctx-1", new JsonObject(), eventId);
    Task second = Task.event("on_x", worker, "ctx-1", new JsonObject(), eventId);

    assertTrue(events.start(first).await().taken());
    StripeEvents.Outcome again = events.start(second).await();

    assertFalse(again.taken());
    assertEquals(first.chainId(), again.earlier());
    assertEquals(0, send(Request.cmd(Command.EXISTS).arg(RedisKeys.chain(second.chainId()))).toInteger());
    assertEquals(1, send(Request.cmd(Command.XLEN).arg(RedisKeys.tasks(worker))).toLong());
    long ttl = ttl(StripeEvents.mark(worker, eventId));
    assertTrue(ttl > StripeEvents.MARK_TTL_SECONDS - 60 && ttl <= StripeEvents.MARK_TTL_SECONDS, "mark kept 3 days: " + ttl);
  }

  @Test
  void eventRecordedUnhandledIsNotStartedLater() {
    String eventId = "evt_" + Ids.newId();
    JsonObject event = HttpFixture.event(eventId, "customer.created", new JsonObject().put("id", "cus_1"));
    assertTrue(events.unhandled(event, "no flow").await().taken());

    StripeEvents.Outcome start = events.start(Task.event("on_customer_created", "w-x", "cus_1", event, eventId)).await();

    assertFalse(start.taken());
    assertEquals("unhandled", start.earlier());
  }

  private Map<String, String> hash(String key) {
    Response response = send(Request.cmd(Command.HGETALL).arg(key));
    Map<String, String> map = new TreeMap<>();
    for (int i = 0; i + 1 < response.size(); i += 2) {
      map.put(response.get(i).toString(), response.get(i + 1).toString());
    }
    return map;
  }

  private long ttl(String key) {
    return send(Request.cmd(Command.TTL).arg(key)).toLong();
  }

  private Response send(Request request) {
    return redis.send(request).await();
  }
}
