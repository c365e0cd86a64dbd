package io.flowpay.http;

import static io.flowpay.FlowpayHarness.write;
import static io.flowpay.http.HttpHardeningIT.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.TestRedis;
import io.flowpay.flow.Ids;
import io.flowpay.flow.Task;
import io.flowpay.queue.RedisKeys;
import io.flowpay.queue.RedisTaskQueue;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The {@code /v1} API, {@code /health} and {@code /metrics} over real HTTP, with a running worker and real Redis. */
@ExtendWith(TestRedis.Extension.class)
class HttpApiIT {

  private static final String MAIN = "ctx.set('order_id', input.order_id); ctx.set('caller', meta.caller_id);";

  @Test
  void startedRunSettlesAndShowsInChainAndContext(TestRedis redis, @TempDir Path flows) {
    write(flows, "main", MAIN);
    try (HttpFixture http = new HttpFixture(redis, flows)) {
      String context = "order-" + Ids.newId();
      HttpResponse<Buffer> started = http.post("/v1/runs", new JsonObject().put("flow", "main")
          .put("input", new JsonObject().put("order_id", "o1")).put("context_id", context).encode());

      assertEquals(202, started.statusCode(), started.bodyAsString());
      String chainId = started.bodyAsJsonObject().getString("chain_id");
      assertNotNull(started.bodyAsJsonObject().getString("task_id"));
      assertEquals("/v1/chains/" + chainId, started.getHeader("Location"));
      http.flowpay.awaitRuns(chainId, 1);

      JsonObject chain = http.get("/v1/chains/" + chainId).bodyAsJsonObject();
      assertEquals(true, chain.getBoolean("settled"), chain.encodePrettily());
      assertEquals(new JsonObject().put("pending", 0).put("runs", 1).put("failed", 0).put("dead", 0),
          chain.getJsonObject("counters"));
      assertEquals("main", chain.getJsonArray("runs").getJsonObject(0).getString("flow"));
      assertEquals("api", chain.getJsonArray("runs").getJsonObject(0).getString("caller_id"));

      JsonObject ctx = http.get("/v1/contexts/" + context).bodyAsJsonObject();
      assertEquals(new JsonObject().put("order_id", "o1").put("caller", "api"), ctx.getJsonObject("state"));
      assertEquals(chainId, ctx.getJsonArray("runs").getJsonObject(0).getString("chain_id"));
    }
  }

  @Test
  void aRunSentAgainWithItsIdempotencyKeyEvenConcurrentlyStartsOneChainAndGetsTheFirstAnswer(TestRedis redis, @TempDir Path flows) {
    write(flows, "count", "ctx.set('n', (ctx.get('n') || 0) + 1);");
    try (HttpFixture http = new HttpFixture(redis, flows)) {
      String context = "order-" + Ids.newId();
      String body = new JsonObject().put("flow", "count").put("context_id", context).encode();
      String key = "order-o1-" + Ids.newId();

      HttpResponse<Buffer> first = http.post("/v1/runs", body, key).await();
      HttpResponse<Buffer> again = http.post("/v1/runs", body, key).await();
      String key2 = "order-o2-" + Ids.newId();
      var racing1 = http.post("/v1/runs", body, key2);
      var racing2 = http.post("/v1/runs", body, key2);
      var racing3 = http.post("/v1/runs", body, key2);

      assertEquals(202, first.statusCode(), first.bodyAsString());
      assertEquals(null, first.getHeader("Idempotent-Replayed"));
      assertEquals(202, again.statusCode(), again.bodyAsString());
      assertEquals("true", again.getHeader("Idempotent-Replayed"));
      assertEquals(first.bodyAsJsonObject(), again.bodyAsJsonObject());
      assertEquals(first.getHeader("Location"), again.getHeader("Location"));
      String chain2 = racing1.await().bodyAsJsonObject().getString("chain_id");
      assertEquals(chain2, racing2.await().bodyAsJsonObject().getString("chain_id"));
      assertEquals(chain2, racing3.await().bodyAsJsonObject().getString("chain_id"));
      // Runs of one context go in order: once a later run has run, any chain started twice would have too.
      String last = http.post("/v1/runs", body).bodyAsJsonObject().getString("chain_id");
      http.flowpay.awaitRuns(last, 1);
      assertEquals(new JsonObject().put("n", 3), http.get("/v1/contexts/" + context).bodyAsJsonObject().getJsonObject("state"));
    }
  }

  @Test
  void anIdempotencyKeySentWithAnotherRequestIsRefusedAndStartsNothing(TestRedis redis, @TempDir Path flows) {
    write(flows, "count", "ctx.set('n', (ctx.get('n') || 0) + 1);");
    try (HttpFixture http = new HttpFixture(redis, flows)) {
      String context = "order-" + Ids.newId();
      JsonObject body = new JsonObject().put("flow", "count").put("context_id", context);
      String key = Ids.newId();
      assertEquals(202, http.post("/v1/runs", body.encode(), key).await().statusCode());

      HttpResponse<Buffer> other = http.post("/v1/runs", body.copy().put("input", new JsonObject().put("amount", 1)).encode(),
          key).await();

      assertProblem(other, 422, "idempotency_key_reused", "Idempotency-Key");
      assertTrue(HttpFixture.error(other).getString("message").contains("a new key for a new run"));
      assertProblem(http.post("/v1/runs", body.encode(), "two words").await(), 400, "invalid_request", "Idempotency-Key");
      assertProblem(http.post("/v1/runs", body.encode(), "k".repeat(256)).await(), 400, "invalid_request", "Idempotency-Key");
      String last = http.post("/v1/runs", body.encode()).bodyAsJsonObject().getString("chain_id");
      http.flowpay.awaitRuns(last, 1);
      assertEquals(new JsonObject().put("n", 2), http.get("/v1/contexts/" + context).bodyAsJsonObject().getJsonObject("state"));
    }
  }

  @Test
  void badRequestsAreAnswered400NamingTheField(TestRedis redis, @TempDir Path flows) {
    write(flows, "main", MAIN);
    try (HttpFixture http = new HttpFixture(redis, flows)) {
      assertProblem(http.post("/v1/runs", "{\"flow\": \"main\","), 400, "invalid_request", null);
      assertProblem(http.post("/v1/runs", "[1, 2]"), 400, "invalid_request", null);
      assertProblem(http.post("/v1/runs", "{\"input\": {}}"), 400, "invalid_request", "flow");
      assertProblem(http.post("/v1/runs", "{\"flow\": \"no_such_flow\"}"), 400, "invalid_request", "flow");
      assertProblem(http.post("/v1/runs", "{\"flow\": \"../main\"}"), 400, "invalid_request", "flow");
      assertProblem(http.post("/v1/runs", "{\"flow\": \"main\", \"contxt_id\": \"c1\"}"), 400, "invalid_request", "contxt_id");
      assertProblem(http.post("/v1/runs", "{\"flow\": \"main\", \"context_id\": \"a b\"}"), 400, "invalid_request", "context_id");
      assertProblem(http.post("/v1/runs", "{\"flow\": \"main\", \"worker_id\": \"w-elsewhere\"}"), 400, "invalid_request",
          "worker_id");
      assertProblem(http.get("/v1/contexts/x?limit=0"), 400, "invalid_request", "limit");
      assertTrue(HttpFixture.error(http.post("/v1/runs", "{\"flow\": \"no_such_flow\"}")).getString("message")
          .contains("no_such_flow.js"));
    }
  }

  @Test
  void missingOrWrongTokenIsAnswered401(TestRedis redis, @TempDir Path flows) {
    write(flows, "main", MAIN);
    try (HttpFixture http = new HttpFixture(redis, flows)) {
      String body = "{\"flow\": \"main\"}";
      HttpResponse<Buffer> missing = http.client.post("/v1/runs").sendBuffer(Buffer.buffer(body)).await();
      HttpResponse<Buffer> wrong = http.client.post("/v1/runs").putHeader("Authorization", "Bearer not-the-token-at-all")
          .sendBuffer(Buffer.buffer(body)).await();
      HttpResponse<Buffer> basic = http.client.get("/v1/chains/x").putHeader("Authorization", "Basic " + HttpFixture.TOKEN)
          .send().await();
      HttpResponse<Buffer> metrics = http.client.get("/metrics").send().await();

      for (HttpResponse<Buffer> response : List.of(missing, wrong, basic, metrics)) {
        assertProblem(response, 401, "unauthorized", "Authorization");
        assertTrue(response.getHeader("WWW-Authenticate").startsWith("Bearer"), response.getHeader("WWW-Authenticate"));
      }
      assertTrue(wrong.getHeader("WWW-Authenticate").contains("invalid_token"));
    }
  }

  @Test
  void bodyOverTheLimitIsAnswered413(TestRedis redis, @TempDir Path flows) {
    write(flows, "main", MAIN);
    try (HttpFixture http = new HttpFixture(redis, flows, options -> options.withHttp(options.http().withMaxBodyBytes(1024)))) {
      String big = new JsonObject().put("flow", "main").put("input", "x".repeat(2000)).encode();

      assertProblem(http.post("/v1/runs", big), 413, "payload_too_large", null);
      assertEquals(413, http.deliver(big).statusCode(), "the webhook endpoint has the same limit");
      assertEquals(202, http.post("/v1/runs", "{\"flow\": \"main\"}").statusCode(), "the server still answers after");
    }
  }

  @Test
  void unknownChainContextAndRouteAreAnswered404(TestRedis redis, @TempDir Path flows) {
    try (HttpFixture http = new HttpFixture(redis, flows)) {
      assertProblem(http.get("/v1/chains/" + Ids.newId()), 404, "not_found", "id");
      assertProblem(http.get("/v1/contexts/nobody-" + Ids.newId()), 404, "not_found", "id");
      assertProblem(http.get("/v1/nothing-here"), 404, "not_found", null);
      assertProblem(http.client.delete("/health").send().await(), 405, "method_not_allowed", null);
    }
  }

  @Test
  void handlerFailureIsAnswered500AndTheServerGoesOn(TestRedis redis, @TempDir Path flows) {
    try (HttpFixture http = new HttpFixture(redis, flows)) {
      String context = "broken-" + Ids.newId();
      http.flowpay.node.redis().send(Request.cmd(Command.SET).arg(RedisKeys.runs(http.flowpay.worker, context)).arg("not a stream")).await();
      http.flowpay.node.redis().send(Request.cmd(Command.HSET).arg(RedisKeys.context(http.flowpay.worker, context)).arg("k").arg("1")).await();

      HttpResponse<Buffer> failed = http.get("/v1/contexts/" + context);

      assertProblem(failed, 500, "internal", null);
      assertTrue(HttpFixture.error(failed).getString("message").contains("ref "), failed.bodyAsString());
      assertEquals(200, http.client.get("/health").send().await().statusCode());
    }
  }

  @Test
  void deadLettersOfAWorkerAreListed(TestRedis redis, @TempDir Path flows) {
    try (HttpFixture http = new HttpFixture(redis, flows)) {
      String worker = "w-parked-" + Ids.newId().substring(0, 8);
      Task task = http.park(worker, "ctx-" + Ids.newId());

      JsonObject dead = http.get("/v1/dead/" + worker).bodyAsJsonObject();

      assertEquals(1, dead.getJsonArray("dead").size(), dead.encodePrettily());
      JsonObject letter = dead.getJsonArray("dead").getJsonObject(0);
      assertEquals("depth", letter.getString("reason"));
      assertEquals(task.taskId(), letter.getJsonObject("task").getString("task_id"));
      assertProblem(http.get("/v1/dead/" + worker + "?from=yesterday"), 400, "invalid_request", "from");
    }
  }

  @Test
  void healthIs200WhenRedisAnswersAnd503WhenItDoesNot(TestRedis redis, @TempDir Path flows) throws Exception {
    try (HttpFixture http = new HttpFixture(redis, flows)) {
      HttpResponse<Buffer> healthy = http.client.get("/health").send().await();
      assertEquals(200, healthy.statusCode(), healthy.bodyAsString());
      assertEquals(new JsonObject().put("status", "ok").put("redis", "ok")
          .put("workers", new JsonObject().put(http.flowpay.worker, "running")), healthy.bodyAsJsonObject());

      Redis nowhere = Redis.createClient(http.flowpay.vertx, "redis://127.0.0.1:" + closedPort());
      int port = http.deploy(new HttpServices(nowhere, new RedisTaskQueue(nowhere), http.flowpay.node::workers, http.metrics));
      HttpResponse<Buffer> sick = http.client.get(port, "127.0.0.1", "/health").send().await();

      assertEquals(503, sick.statusCode(), sick.bodyAsString());
      assertEquals("unavailable", sick.bodyAsJsonObject().getString("status"));
      assertTrue(sick.bodyAsJsonObject().getString("redis").startsWith("unreachable"), sick.bodyAsString());
      HttpResponse<Buffer> alive = http.client.get(port, "127.0.0.1", "/health/live").send().await();
      assertEquals(200, alive.statusCode(), "the process itself is alive: a liveness probe must not restart it");
      HttpResponse<Buffer> apiWithoutRedis = http.client.get(port, "127.0.0.1", "/v1/chains/c1")
          .putHeader("Authorization", "Bearer " + HttpFixture.TOKEN).send().await();
      assertProblem(apiWithoutRedis, 503, "unavailable", null);
    }
  }

  @Test
  void healthIs503WhenAWorkerIsStopped(TestRedis redis, @TempDir Path flows) {
    try (HttpFixture http = new HttpFixture(redis, flows)) {
      int port = http.deploy(new HttpServices(http.flowpay.node.redis(), http.flowpay.node.queue(),
          () -> Map.of(http.flowpay.worker, true, "w-gone", false), http.metrics));

      HttpResponse<Buffer> response = http.client.get(port, "127.0.0.1", "/health").send().await();

      assertEquals(503, response.statusCode(), response.bodyAsString());
      assertEquals("stopped", response.bodyAsJsonObject().getJsonObject("workers").getString("w-gone"));
      assertEquals(200, http.client.get(port, "127.0.0.1", "/health/live").send().await().statusCode());
    }
  }

  @Test
  void standbyServingNoWorkerIsNotReadyButAlive(TestRedis redis, @TempDir Path flows) {
    try (HttpFixture http = new HttpFixture(redis, flows)) {
      int port = http.deploy(new HttpServices(http.flowpay.node.redis(), http.flowpay.node.queue(), Map::of,
          http.metrics));

      HttpResponse<Buffer> ready = http.client.get(port, "127.0.0.1", "/health").send().await();
      HttpResponse<Buffer> live = http.client.get(port, "127.0.0.1", "/health/live").send().await();

      assertEquals(503, ready.statusCode(), ready.bodyAsString());
      assertEquals(new JsonObject(), ready.bodyAsJsonObject().getJsonObject("workers"));
      assertEquals(200, live.statusCode(), live.bodyAsString());
      assertEquals(new JsonObject().put("status", "ok"), live.bodyAsJsonObject());
    }
  }

  @Test
  void metricsCountRunsStartedThroughTheApi(TestRedis redis, @TempDir Path flows) {
    write(flows, "main", MAIN);
    try (HttpFixture http = new HttpFixture(redis, flows)) {
      http.post("/v1/runs", "{\"flow\": \"main\"}");
      http.post("/v1/runs", "{\"flow\": \"main\"}");

      HttpResponse<Buffer> metrics = http.get("/metrics");

      assertEquals(200, metrics.statusCode());
      assertTrue(metrics.getHeader("Content-Type").startsWith("text/plain"), metrics.getHeader("Content-Type"));
      assertTrue(metrics.bodyAsString().contains("flowpay_runs_started_total{caller=\"api\",flow=\"main\"} 2.0"),
          metrics.bodyAsString());
    }
  }

  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
