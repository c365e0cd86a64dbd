package io.flowpay.http;

import static io.flowpay.FlowpayHarness.write;
import static io.flowpay.http.HttpHardeningIT.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.TestRedis;
import io.flowpay.flow.Ids;
import io.flowpay.flow.Task;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tokens limited to context namespaces and flows: a token of {@code merchant-a} cannot read, start
 * or see the dead letters of {@code merchant-b}; what it may not see answers exactly as what does not
 * exist. An unscoped token keeps seeing everything.
 */
@ExtendWith(TestRedis.Extension.class)
class ScopedTokensIT {

  private static final String ADMIN = HttpFixture.TOKEN;
  private static final String A = "merchant-a-token-0123456789";
  private static final String A_MAIN_ONLY = "merchant-a-main-token-0123456789";
  private static final String B = "merchant-b-token-0123456789";

  private static HttpFixture fixture(TestRedis redis, Path flows) {
    write(flows, "main", "ctx.set('order', input.order || null);");
    write(flows, "refund", "ctx.set('refunded', true);");
    return new HttpFixture(redis, flows, UnaryOperator.identity(), List.of(ADMIN, A + ";contexts=merchant-a",
        A_MAIN_ONLY + ";contexts=merchant-a;flows=main", B + ";contexts=merchant-b"));
  }

  @Test
  void aScopedTokenStartsAndReadsInItsNamespaceOnly(TestRedis redis, @TempDir Path flows) {
    try (HttpFixture http = fixture(redis, flows)) {
      String a = "merchant-a:order-" + Ids.newId();
      String b = "merchant-b:order-" + Ids.newId();
      String chainA = start(http, A, new JsonObject().put("flow", "main").put("context_id", a));
      String chainB = start(http, B, new JsonObject().put("flow", "main").put("context_id", b));
      http.flowpay.awaitRuns(chainA, 1);
      http.flowpay.awaitRuns(chainB, 1);

      assertEquals(200, http.get("/v1/chains/" + chainA, A).statusCode());
      assertEquals(200, http.get("/v1/contexts/" + a, A).statusCode());
      assertEquals(200, http.get("/v1/chains/" + chainB, ADMIN).statusCode(), "an unscoped token sees every namespace");
      assertEquals(200, http.get("/v1/contexts/" + b, ADMIN).statusCode());

      HttpResponse<Buffer> otherChain = http.get("/v1/chains/" + chainB, A);
      HttpResponse<Buffer> noChain = http.get("/v1/chains/" + Ids.newId(), A);
      assertProblem(otherChain, 404, "not_found", "id");
      assertEquals(message(noChain).replaceAll("'[^']*'", "ID"), message(otherChain).replaceAll("'[^']*'", "ID"),
          "another namespace's chain answers as a chain that does not exist");
      HttpResponse<Buffer> otherContext = http.get("/v1/contexts/" + b, A);
      HttpResponse<Buffer> noContext = http.get("/v1/contexts/merchant-b:nobody-" + Ids.newId(), A);
      assertProblem(otherContext, 404, "not_found", "id");
      assertEquals(message(noContext).replaceAll("'[^']*'", "ID"), message(otherContext).replaceAll("'[^']*'", "ID"));
      assertProblem(http.get("/v1/contexts/merchant-ab:x", A), 404, "not_found", "id");
    }
  }

  @Test
  void aScopedTokenCannotStartIntoAnotherNamespaceOrAnotherFlow(TestRedis redis, @TempDir Path flows) {
    try (HttpFixture http = fixture(redis, flows)) {
      long before = http.streamLength(http.flowpay.tasksKey());
      String b = "merchant-b:order-" + Ids.newId();

      HttpResponse<Buffer> intoB = http.post("/v1/runs", new JsonObject().put("flow", "main").put("context_id", b)
          .encode(), A, null);
      HttpResponse<Buffer> noNamespace = http.post("/v1/runs", new JsonObject().put("flow", "main")
          .put("context_id", "order-" + Ids.newId()).encode(), A, Ids.newId());
      HttpResponse<Buffer> refund = http.post("/v1/runs", new JsonObject().put("flow", "refund")
          .put("context_id", "merchant-a:order-1").encode(), A_MAIN_ONLY, null);

      assertProblem(intoB, 403, "forbidden", "context_id");
      assertTrue(message(intoB).contains("merchant-a:"), message(intoB));
      assertProblem(noNamespace, 403, "forbidden", "context_id");
      assertProblem(refund, 403, "forbidden", "flow");
      assertEquals(before, http.streamLength(http.flowpay.tasksKey()), "nothing was queued");
      assertProblem(http.get("/v1/contexts/" + b, ADMIN), 404, "not_found", "id");

      JsonObject made = http.post("/v1/runs", new JsonObject().put("flow", "main").encode(), A, null).bodyAsJsonObject();
      assertTrue(made.getString("context_id").startsWith("merchant-a:ctx-"), made.encode());
      assertEquals(202, http.post("/v1/runs", new JsonObject().put("flow", "refund").encode(), A, null).statusCode());
    }
  }

  @Test
  void oneNamespacesIdempotencyKeysNeverMeetAnothers(TestRedis redis, @TempDir Path flows) {
    try (HttpFixture http = fixture(redis, flows)) {
      String key = "order-1-" + Ids.newId();
      HttpResponse<Buffer> fromA = http.post("/v1/runs", new JsonObject().put("flow", "main").put("context_id",
          "merchant-a:o1").encode(), A, key);
      HttpResponse<Buffer> fromB = http.post("/v1/runs", new JsonObject().put("flow", "main").put("context_id",
          "merchant-b:o1").encode(), B, key);

      assertEquals(202, fromA.statusCode(), fromA.bodyAsString());
      assertEquals(202, fromB.statusCode(), "not 422: B cannot learn that A used the key; " + fromB.bodyAsString());
      assertEquals(null, fromB.getHeader("Idempotent-Replayed"));
    }
  }

  @Test
  void deadLettersShowOnlyTheTokensNamespacesAndMetricsAndUnhandledEventsNeedAnUnscopedToken(TestRedis redis,
      @TempDir Path flows) {
    try (HttpFixture http = fixture(redis, flows)) {
      String worker = "w-parked-" + Ids.newId().substring(0, 8);
      Task a = http.park(worker, "merchant-a:o-" + Ids.newId());
      Task b = http.park(worker, "merchant-b:o-" + Ids.newId());

      JsonArray seenByA = http.get("/v1/dead/" + worker, A).bodyAsJsonObject().getJsonArray("dead");
      JsonArray seenByAdmin = http.get("/v1/dead/" + worker, ADMIN).bodyAsJsonObject().getJsonArray("dead");

      assertEquals(List.of(a.taskId()), taskIds(seenByA));
      assertEquals(List.of(a.taskId(), b.taskId()), taskIds(seenByAdmin));
      JsonObject page = http.get("/v1/dead/" + worker + "?limit=1", B).bodyAsJsonObject();
      assertEquals(List.of(), taskIds(page.getJsonArray("dead")), "B's first page holds only A's letter, hidden");
      JsonObject next = http.get("/v1/dead/" + worker + "?limit=1&from=" + page.getString("next"), B).bodyAsJsonObject();
      assertEquals(List.of(b.taskId()), taskIds(next.getJsonArray("dead")), "'next' leads on to B's letter");

      assertProblem(http.get("/metrics", A), 403, "forbidden", "Authorization");
      assertProblem(http.get("/v1/webhooks/unhandled", A), 403, "forbidden", "Authorization");
      assertEquals(200, http.get("/metrics", ADMIN).statusCode());
      assertEquals(200, http.get("/v1/webhooks/unhandled", ADMIN).statusCode());
    }
  }

  private static List<String> taskIds(JsonArray letters) {
    return letters.stream().map(letter -> ((JsonObject) letter).getJsonObject("task").getString("task_id")).toList();
  }

  private static String start(HttpFixture http, String token, JsonObject body) {
    HttpResponse<Buffer> started = http.post("/v1/runs", body.encode(), token, null);
    assertEquals(202, started.statusCode(), started.bodyAsString());
    return started.bodyAsJsonObject().getString("chain_id");
  }

  private static String message(HttpResponse<Buffer> response) {
    return HttpFixture.error(response).getString("message");
  }
}
