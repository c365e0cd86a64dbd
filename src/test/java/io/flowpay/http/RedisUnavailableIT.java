package io.flowpay.http;

import static io.flowpay.FlowpayHarness.write;
import static io.flowpay.http.HttpHardeningIT.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.TestRedis;
import io.flowpay.flow.Ids;
import io.flowpay.queue.RedisTaskQueue;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Redis that cannot serve (its own error replies, a dropped connection, commands that hang) makes
 * the API answer 503 with {@code Retry-After}, never 500 and never a stack trace in the log; the
 * API recovers when Redis does. Redis is the real one behind {@link RespProxy}, which only chooses
 * the state Redis is in.
 */
@ExtendWith(TestRedis.Extension.class)
class RedisUnavailableIT {

  @ParameterizedTest
  @ValueSource(strings = {"LOADING Redis is loading the dataset in memory",
      "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.",
      "READONLY You can't write against a read only replica.",
      "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.",
      "TRYAGAIN Multiple keys request during rehashing of slot", "CLUSTERDOWN The cluster is down",
      "OOM command not allowed when used memory > 'maxmemory'."})
  void aRedisThatCannotServeIs503WithRetryAfterAndTheApiRecovers(String reply, TestRedis redis, @TempDir Path flows)
      throws Exception {
    write(flows, "main", "ctx.set('x', 1);");
    try (HttpFixture http = new HttpFixture(redis, flows); RespProxy proxy = new RespProxy(redis.url());
        LogCapture log = new LogCapture()) {
      int port = deployThrough(http, proxy);
      assertEquals(202, post(http, port).statusCode(), "through the proxy while Redis serves");

      proxy.error(reply);
      HttpResponse<Buffer> started = post(http, port);
      HttpResponse<Buffer> chain = get(http, port, "/v1/chains/" + Ids.newId());
      HttpResponse<Buffer> context = get(http, port, "/v1/contexts/order-1");
      proxy.forward();

      String word = reply.split(" ")[0];
      for (HttpResponse<Buffer> response : List.of(started, chain, context)) {
        assertUnavailable(response);
        assertTrue(HttpFixture.error(response).getString("message").contains(word), response.bodyAsString());
      }
      assertEquals(202, post(http, port).statusCode(), "the API recovers with Redis");
      assertEquals(List.of(), log.severe());
    }
  }

  @Test
  void aDroppedConnectionIs503AndTheApiRecovers(TestRedis redis, @TempDir Path flows) throws Exception {
    write(flows, "main", "ctx.set('x', 1);");
    try (HttpFixture http = new HttpFixture(redis, flows); RespProxy proxy = new RespProxy(redis.url());
        LogCapture log = new LogCapture()) {
      int port = deployThrough(http, proxy);
      assertEquals(202, post(http, port).statusCode());

      proxy.drop();
      assertUnavailable(post(http, port));
      proxy.forward();

      // a client honours Retry-After; the pool may hand out one more connection that is already gone
      int status = 0;
      for (int attempt = 0; attempt < 5 && status != 202; attempt++) {
        HttpResponse<Buffer> again = post(http, port);
        status = again.statusCode();
        assertTrue(status == 202 || status == 503, again.bodyAsString());
      }
      assertEquals(202, status, "the API recovers once Redis is back");
      assertEquals(List.of(), log.severe());
    }
  }

  @Test
  void requestsBeyondMaxInFlightAre503AtOnceWithoutReachingRedis(TestRedis redis, @TempDir Path flows) throws Exception {
    write(flows, "main", "ctx.set('x', 1);");
    try (HttpFixture http = new HttpFixture(redis, flows, options -> options.withHttp(options.http().withMaxInFlight(2)));
        RespProxy proxy = new RespProxy(redis.url())) {
      int port = deployThrough(http, proxy);
      assertEquals(404, get(http, port, "/v1/contexts/nobody-" + Ids.newId()).statusCode());

      proxy.hold();
      Future<HttpResponse<Buffer>> first = send(http, port, "/v1/contexts/nobody-" + Ids.newId());
      Future<HttpResponse<Buffer>> second = send(http, port, "/v1/contexts/nobody-" + Ids.newId());
      proxy.awaitHeld(2);
      HttpResponse<Buffer> third = get(http, port, "/v1/contexts/nobody-" + Ids.newId());
      HttpResponse<Buffer> post = post(http, port);
      proxy.forward();

      assertProblem(third, 503, "busy", null);
      assertEquals("1", third.getHeader("Retry-After"));
      assertTrue(HttpFixture.error(third).getString("message").contains("http.maxInFlight"), third.bodyAsString());
      assertProblem(post, 503, "busy", null);
      assertEquals(404, first.await().statusCode(), "held requests are answered once Redis answers");
      assertEquals(404, second.await().statusCode());
      assertEquals(202, post(http, port).statusCode(), "their places are free again");
    }
  }

  private static int deployThrough(HttpFixture http, RespProxy proxy) {
    Redis viaProxy = Redis.createClient(http.flowpay.vertx, new RedisOptions().setConnectionString(proxy.url())
        .setMaxPoolSize(4).setPreferredProtocolVersion(ProtocolVersion.RESP2));
    return http.deploy(new HttpServices(viaProxy, new RedisTaskQueue(viaProxy), http.flowpay.node::workers, http.metrics));
  }

  private static void assertUnavailable(HttpResponse<Buffer> response) {
    assertProblem(response, 503, "unavailable", null);
    assertEquals("1", response.getHeader("Retry-After"), "Retry-After");
  }

  private static HttpResponse<Buffer> post(HttpFixture http, int port) {
    return http.client.post(port, "127.0.0.1", "/v1/runs").putHeader("Authorization", "Bearer " + HttpFixture.TOKEN)
        .sendBuffer(Buffer.buffer(new JsonObject().put("flow", "main").put("context_id", "order-" + Ids.newId())
            .encode())).await();
  }

  private static HttpResponse<Buffer> get(HttpFixture http, int port, String path) {
    return send(http, port, path).await();
  }

  private static Future<HttpResponse<Buffer>> send(HttpFixture http, int port, String path) {
    return http.client.get(port, "127.0.0.1", path).putHeader("Authorization", "Bearer " + HttpFixture.TOKEN).send();
  }

}
