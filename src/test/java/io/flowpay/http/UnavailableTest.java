package io.flowpay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Which failures are Redis being unavailable (503), and which are not (500). */
class UnavailableTest {

  @Test
  void redisErrorRepliesOfAnUnavailableRedisAreUnavailability() {
    for (String word : Unavailable.REDIS_ERRORS) {
      assertEquals("Redis answered " + word, Unavailable.reason(new VertxException(word + " some text", true)));
      assertEquals("Redis answered " + word, Unavailable.reason(
          new VertxException("ERR [0] " + word + " some text\nERR [1] " + word + " again", true)), "a batch's errors");
    }
  }

  @Test
  void lostConnectionsAndFullQueuesAreUnavailability() {
    assertEquals("Redis refused the connection", Unavailable.reason(new ConnectException("Connection refused")));
    assertEquals("Redis did not answer in time", Unavailable.reason(new TimeoutException()));
    assertEquals("the Redis connection pool's queue is full", Unavailable.reason(
        new ConnectionPoolTooBusyException("Connection pool reached max wait queue size of 1024")));
    assertEquals("the connection to Redis was lost", Unavailable.reason(new SocketException("Connection reset")));
    assertEquals("the connection to Redis was closed", Unavailable.reason(new VertxException("CONNECTION_CLOSED", true)));
    assertEquals("the connection to Redis was closed", Unavailable.reason(new VertxException("Connection is closed", true)));
    assertEquals("the Redis connection's queue is full",
        Unavailable.reason(new VertxException("Redis waiting queue is full", true)));
    assertEquals("Redis refused the connection",
        Unavailable.reason(new IllegalStateException("wrapped", new ConnectException("refused"))), "a cause counts");
  }

  @Test
  void faultsOfFlowpayOrOfTheDataAreNot() {
    assertNull(Unavailable.reason(new VertxException("WRONGTYPE Operation against a key holding the wrong kind of value",
        true)));
    assertNull(Unavailable.reason(new VertxException("BUSYGROUP Consumer Group name already exists", true)));
    assertNull(Unavailable.reason(new VertxException("ERR Invalid stream ID specified", true)));
    assertNull(Unavailable.reason(new IOException("disk full")));
    assertNull(Unavailable.reason(new NullPointerException()));
  }
}
