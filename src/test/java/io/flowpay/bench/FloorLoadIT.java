package io.flowpay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.TestRedis;
import io.flowpay.standin.CannedStripe;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bench's durable floor keeps what it claims: a hop commits its task, its state, its call through the outbox and
 * its dispatch; a holder that lost the lease commits nothing and leaves its task for the next one. Each test starts a
 * loop and stops it at once, so exactly one hop per slot runs.
 */
@ExtendWith(TestRedis.Extension.class)
class FloorLoadIT {

  private final Vertx vertx = Vertx.vertx();
  private CannedStripe standIn;
  private Redis redis;

  @BeforeEach
  void startStandIn() {
    standIn = CannedStripe.start(0);
  }

  @AfterEach
  void close() {
    standIn.close();
    vertx.close().await();
  }

  @ParameterizedTest(name = "reuse globals: {0}")
  @ValueSource(booleans = {false, true})
  void aHopAcknowledgesItsTaskWritesItsStateEmptiesTheOutboxAndDispatchesToTheSink(boolean reuseGlobals, TestRedis test) {
    redis = Redis.createClient(vertx, test.url());
    try (FloorLoad floor = new FloorLoad(test.url(), standIn.baseUrl(), 2, reuseGlobals)) {
      Recorder recorder = new Recorder();
      recorder.open();
      floor.start(2, recorder);
      floor.stop();
      Recorder.Window window = recorder.close();

      assertEquals(2, window.ops(), "one hop per slot");
      assertEquals(0, window.errors());
      String keys = floor.keys();
      assertEquals(0, send(Request.cmd(Command.XLEN).arg(keys + "tasks")).toInteger(), "tasks deleted once committed");
      assertEquals(0, send(Request.cmd(Command.XPENDING).arg(keys + "tasks").arg("floor")).get(0).toInteger());
      assertEquals(0, send(Request.cmd(Command.HLEN).arg(keys + "outbox")).toInteger(), "every answered call left the outbox");
      assertEquals(2, send(Request.cmd(Command.XLEN).arg(keys + "sink")).toInteger(), "one dispatched task per hop");
      for (String context : new String[] {"c2-0", "c2-1"}) {
        String state = keys + "ctx:" + context;
        assertEquals("\"" + context + "\"", field(state, "order_id"), "the main flow's write");
        assertTrue(field(state, "payment_intent").startsWith("\"pi_"), "the response flow's write");
        assertEquals(3, send(Request.cmd(Command.HLEN).arg(state)).toInteger(), "order_id, payment_intent, status");
      }
    }
  }

  @Test
  void aHolderWithoutTheLeaseCommitsNothingAndLeavesItsTaskPending(TestRedis test) {
    redis = Redis.createClient(vertx, test.url());
    try (FloorLoad floor = new FloorLoad(test.url(), standIn.baseUrl(), 1, false)) {
      String keys = floor.keys();
      send(Request.cmd(Command.SET).arg(keys + "lease").arg("another-holder"));
      Recorder recorder = new Recorder();
      recorder.open();
      floor.start(1, recorder);
      floor.stop();
      Recorder.Window window = recorder.close();

      assertEquals(0, window.ops());
      assertEquals(1, window.errors(), "the hop failed at its first commit");
      assertEquals(1, send(Request.cmd(Command.XPENDING).arg(keys + "tasks").arg("floor")).get(0).toInteger(),
          "the task waits, delivered and not acknowledged, for the lease's holder to reclaim it");
      assertEquals(0, send(Request.cmd(Command.EXISTS).arg(keys + "ctx:c1-0")).toInteger(), "no state written");
      assertEquals(0, send(Request.cmd(Command.HLEN).arg(keys + "outbox")).toInteger(), "no call committed");
      assertEquals(0, send(Request.cmd(Command.EXISTS).arg(keys + "sink")).toInteger(), "nothing dispatched");
    }
  }

  private Response send(Request request) {
    return redis.send(request).await();
  }

  private String field(String key, String field) {
    return send(Request.cmd(Command.HGET).arg(key).arg(field)).toString();
  }
}
