package io.flowpay.http;

import static io.flowpay.FlowpayHarness.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.TestRedis;
import io.flowpay.flow.Ids;
import io.flowpay.queue.ChainStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A burst of {@value #BURST} concurrent {@code POST /v1/runs}, each a valid order on its own
 * connection, against the real server with its default limits and a real Redis, while the worker
 * runs them: every answer is 202 or 503 with {@code Retry-After} (none 500), nothing is logged as a
 * failure, and the chain of every 202 settles.
 */
@ExtendWith(TestRedis.Extension.class)
class HttpBurstIT {

  static final int BURST = 5_000;

  @Test
  void aBurstOfConcurrentRunsIsAnswered202Or503AndEvery202Settles(TestRedis redis, @TempDir Path flows) {
    write(flows, "main", "ctx.set('order', input.order_id); ctx.set('amount', input.amount);");
    // The header deadline is raised: on a loaded machine 5,000 connections opened at once may wait
    // longer than the default 20 s to be read, and would be closed unanswered (a defence, not an answer).
    try (HttpFixture http = new HttpFixture(redis, flows,
        options -> options.withHttp(options.http().withTimeouts(120_000, 120_000)));
        LogCapture log = new LogCapture()) {
      Vertx clients = Vertx.vertx();
      WebClient burst = WebClient.create(clients, new WebClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(http.port).setKeepAlive(false), new PoolOptions().setHttp1MaxSize(BURST));
      List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
      long started = System.nanoTime();
      for (int i = 0; i < BURST; i++) {
        String order = new JsonObject().put("flow", "main").put("context_id", "order-" + Ids.newId())
            .put("input", new JsonObject().put("order_id", "o" + i).put("amount", 1000 + i)).encode();
        sent.add(burst.post("/v1/runs").putHeader("Authorization", "Bearer " + HttpFixture.TOKEN)
            .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(order)));
      }
      Future.join(sent).otherwiseEmpty().await();
      long answeredMs = (System.nanoTime() - started) / 1_000_000;

      Map<String, Integer> outcomes = new TreeMap<>();
      List<String> chains = new ArrayList<>();
      for (Future<HttpResponse<Buffer>> future : sent) {
        String outcome = outcome(future, chains);
        outcomes.merge(outcome, 1, Integer::sum);
      }
      long settledMs = awaitSettled(http, chains, started);
      System.out.printf("burst of %d POST /v1/runs: %s; answered in %d ms, 202 chains settled after %d ms%n",
          BURST, outcomes, answeredMs, settledMs);

      assertEquals(BURST, outcomes.getOrDefault("202", 0) + outcomes.getOrDefault("503 Retry-After", 0),
          "every answer is 202 or 503 with Retry-After: " + outcomes);
      assertTrue(!chains.isEmpty(), "some runs were taken: " + outcomes);
      assertEquals(List.of(), log.severe());
      burst.close();
      clients.close().await();
    }
  }

  /** {@code 202}, {@code 503 Retry-After}, or what else came back. Adds the chain of a 202. */
  private static String outcome(Future<HttpResponse<Buffer>> future, List<String> chains) {
    if (future.failed()) {
      return "no answer: " + future.cause().getClass().getSimpleName() + " " + future.cause().getMessage();
    }
    HttpResponse<Buffer> response = future.result();
    if (response.statusCode() == 202) {
      chains.add(response.bodyAsJsonObject().getString("chain_id"));
      return "202";
    }
    if (response.statusCode() == 503 && "1".equals(response.getHeader("Retry-After"))) {
      return "503 Retry-After";
    }
    return response.statusCode() + " " + response.bodyAsString();
  }

  /** Waits (up to 2 minutes, asking Redis every 100 ms) until every chain is settled; returns ms since {@code started}. */
  private static long awaitSettled(HttpFixture http, List<String> chains, long started) {
    List<String> open = new ArrayList<>(chains);
    long deadline = System.currentTimeMillis() + 120_000;
    while (!open.isEmpty()) {
      List<String> still = new ArrayList<>();
      for (int from = 0; from < open.size(); from += 20) {
        List<String> slice = open.subList(from, Math.min(open.size(), from + 20));
        List<Future<ChainStatus>> statuses = slice.stream().map(id -> http.flowpay.queue.chain(id)).toList();
        Future.all(statuses).await();
        for (int i = 0; i < slice.size(); i++) {
          ChainStatus status = statuses.get(i).result();
          if (status == null || !status.settled()) {
            still.add(slice.get(i));
          }
        }
      }
      open = still;
      if (!open.isEmpty()) {
        assertTrue(System.currentTimeMillis() < deadline, open.size() + " of " + chains.size() + " chains not settled");
        http.flowpay.vertx.timer(100).await();
      }
    }
    return (System.nanoTime() - started) / 1_000_000;
  }
}
