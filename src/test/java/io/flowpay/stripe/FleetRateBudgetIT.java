package io.flowpay.stripe;

import static io.flowpay.FlowpayHarness.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.flow.Caller;
import io.flowpay.FlowpayProcess;
import io.flowpay.TestRedis;
import io.flowpay.flow.Ids;
import io.flowpay.flow.Task;
import io.flowpay.queue.ChainStatus;
import io.flowpay.queue.RedisTaskQueue;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code flowpay serve} processes on one Stripe account, each with its own worker, against a Stripe that
 * answers 429 above 40 requests a second. Each process alone would send its 40 calls at once; with a fleet
 * budget of 20 calls/s (burst 4) in Redis they together stay under Stripe's limit, and every call completes.
 */
@ExtendWith(TestRedis.Extension.class)
class FleetRateBudgetIT {

  private static final int PROCESSES = 3;
  private static final int CHAINS_PER_PROCESS = 40;
  private static final int STRIPE_LIMIT = 40;

  @TempDir
  Path dir;

  @Test
  void fleetSharesOneBudgetAndStaysUnderStripesLimit(TestRedis redis) throws Exception {
    Path flows = dir.resolve("flows");
    write(flows, "pay", "stripe.paymentIntents.create({amount: input.amount, currency: 'eur'});");
    write(flows, "new_create_payment_intent_response", "ctx.set('intent', response.id);");
    write(flows, "new_create_payment_intent_error", "ctx.set('error', error.error.type);");
    String run = Ids.newId().substring(0, 8);
    Vertx vertx = Vertx.vertx();
    Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString(redis.url())
        .setPreferredProtocolVersion(ProtocolVersion.RESP2));
    RedisTaskQueue queue = new RedisTaskQueue(client);
    List<FlowpayProcess> fleet = new ArrayList<>();
    try (RateLimitedStripe stripe = new RateLimitedStripe(STRIPE_LIMIT)) {
      List<String> workers = new ArrayList<>();
      for (int p = 0; p < PROCESSES; p++) {
        String worker = "w-rate-" + run + "-" + p;
        workers.add(worker);
        fleet.add(FlowpayProcess.serve(config(redis, flows, worker, stripe.baseUrl(), p),
            Map.of("STRIPE_SECRET_KEY", "sk_test_fleet_" + run)));
      }
      long started = System.nanoTime();
      List<Task> tasks = new ArrayList<>();
      for (int i = 0; i < CHAINS_PER_PROCESS; i++) {
        for (String worker : workers) {
          Task task = Task.main("pay", worker, "ctx-" + Ids.newId(), Caller.CLI, new JsonObject().put("amount", 1000 + i));
          queue.start(task).await();
          tasks.add(task);
        }
      }
      for (Task task : tasks) {
        awaitSettled(vertx, queue, task);
      }
      long tookMs = (System.nanoTime() - started) / 1_000_000;

      for (Task task : tasks) {
        JsonObject state = queue.contextState(task.contextId()).await();
        assertTrue(state.getString("intent", "").startsWith("pi_"), "chain " + task.chainId() + " got its intent: " + state);
      }
      Map<String, JsonObject> created = stripe.created();
      assertEquals(tasks.size(), created.size(), "one payment intent per call");
      int calls = tasks.size();
      System.out.printf("fleet rate budget: %d processes, %d calls in %d ms (%.1f calls/s; budget 20/s, Stripe's"
              + " limit %d/s), %d requests, %d answered 429, busiest second %d%n", PROCESSES, calls, tookMs,
          calls * 1000.0 / tookMs, STRIPE_LIMIT, stripe.requests(), stripe.limited(), stripe.busiestSecond());
      assertTrue(stripe.limited() <= calls / 20, "near zero 429s: " + stripe.limited() + " of " + stripe.requests()
          + " requests");
    } finally {
      fleet.forEach(FlowpayProcess::close);
      client.close();
      vertx.close().await();
    }
  }

  private static void awaitSettled(Vertx vertx, RedisTaskQueue queue, Task task) {
    long deadline = System.currentTimeMillis() + 120_000;
    while (true) {
      ChainStatus status = queue.chain(task.chainId()).await();
      if (status != null && status.settled()) {
        return;
      }
      assertTrue(System.currentTimeMillis() < deadline, "chain " + task.chainId() + " settled: " + status);
      vertx.timer(50).await();
    }
  }

  private Path config(TestRedis redis, Path flows, String worker, String stripeBase, int index) throws Exception {
    JsonObject config = new JsonObject()
        .put("redis", new JsonObject().put("url", redis.url()))
        .put("workers", new JsonArray().add(worker))
        .put("flowsDir", flows.toString())
        .put("stripe", new JsonObject().put("apiBase", stripeBase).put("timeoutMs", 5_000).put("maxAttempts", 5)
            .put("retryDelayMs", 200).put("rateLimit", new JsonObject().put("opsPerSecond", 20).put("burst", 4)))
        .put("worker", new JsonObject().put("disableAfterFailures", 0));
    return Files.writeString(dir.resolve("flowpay-" + index + ".json"), config.encode());
  }
}
