package io.flowpay.worker;

import static io.flowpay.FlowpayHarness.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.flow.Caller;
import io.flowpay.config.FlowpayOptions;
import io.flowpay.config.StripeOptions;
import io.flowpay.flow.Ids;
import io.flowpay.flow.Task;
import io.flowpay.queue.ChainStatus;
import io.flowpay.queue.RedisProcesses;
import io.flowpay.queue.ReplicaAck;
import io.flowpay.stripe.FaultyStripe;
import io.flowpay.stripe.WebClientStripeClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flowpay on Redis Sentinel: a primary, a replica and three sentinels (real redis-server processes), a node in
 * {@code sentinel} mode with {@code waitReplicas: 1}, chains that create and confirm a payment intent. The primary
 * is killed (SIGKILL) mid-run; the sentinels promote the replica, the node follows it, every chain settles and
 * Stripe charged each order once.
 */
class SentinelFailoverIT {

  private static final int CHAINS = 30;

  @TempDir
  Path dir;

  @Test
  void chainsSettleAfterThePrimaryIsKilledAndNothingIsChargedTwice() throws Exception {
    Path flows = dir.resolve("flows");
    write(flows, "pay", "stripe.paymentIntents.create({amount: input.amount, currency: 'eur',"
        + " metadata: {flowpay_context: meta.context_id}});");
    write(flows, "new_create_payment_intent_response", "ctx.set('created', (ctx.get('created') || 0) + 1);"
        + " stripe.paymentIntents.confirm(response.id, {payment_method: 'pm_card_visa'});");
    write(flows, "new_confirm_payment_intent_response", "ctx.set('confirmed', (ctx.get('confirmed') || 0) + 1);");
    Vertx vertx = Vertx.vertx();
    Path redisDir = dir.resolve("redis");
    java.nio.file.Files.createDirectories(redisDir);
    FlowpayNode node = null;
    try (RedisProcesses redis = new RedisProcesses(redisDir, vertx);
        FaultyStripe stripe = new FaultyStripe(vertx, 1, 0.0, 0)) {
      RedisProcesses.Node primary = redis.primary();
      RedisProcesses.Node replica = redis.replica(primary);
      List<RedisProcesses.Node> sentinels = List.of(redis.sentinel(primary), redis.sentinel(primary),
          redis.sentinel(primary));
      sentinels.forEach(sentinel -> redis.awaitDiscovery(sentinel, 2, 1));

      String worker = "w-sentinel-" + Ids.newId().substring(0, 8);
      FlowpayOptions defaults = new FlowpayOptions();
      FlowpayOptions options = defaults
          .withRedis(defaults.redis().withSentinels(sentinels.stream().map(RedisProcesses.Node::url).toList(),
              RedisProcesses.MASTER_NAME).withWait(1, 200))
          .withStripe(new StripeOptions(stripe.baseUrl(), "2026-07-29.dahlia", 2_000, 5_000).withRetries(5, 50, 500, 30_000))
          .withWorker(defaults.worker().withClaimIdleMs(1_000))
          .withWorkers(List.of(worker))
          .withFlowsDir(flows);
      node = FlowpayNode.start(vertx, options, new WebClientStripeClient(vertx, options.stripe(), "sk_test_sentinel"))
          .await();

      List<Task> tasks = new ArrayList<>();
      for (int i = 0; i < CHAINS; i++) {
        Task task = Task.main("pay", worker, "ctx-" + Ids.newId(), Caller.CLI, new JsonObject().put("amount", 1000 + i));
        node.queue().start(task).await();
        tasks.add(task);
      }
      int acked = new ReplicaAck(vertx, node.redis(), 1, 5_000).acknowledged().await();
      assertEquals(1, acked, "the replica holds every chain's start before the primary is killed");

      awaitRequests(vertx, stripe, CHAINS / 2);
      int requestsAtKill = stripe.requests();
      primary.kill();
      long killed = System.nanoTime();
      for (Task task : tasks) {
        awaitSettled(vertx, node, task);
      }
      long settledMs = (System.nanoTime() - killed) / 1_000_000;

      assertEquals(replica.port(), redis.masterPort(sentinels.get(0)), "the sentinels promoted the replica");
      Map<String, List<JsonObject>> created = stripe.created();
      for (Task task : tasks) {
        JsonObject state = node.queue().contextState(task.contextId()).await();
        assertEquals(new JsonObject().put("created", 1).put("confirmed", 1), state, "context " + task.contextId());
        assertEquals(1, created.getOrDefault(task.contextId(), List.of()).size(),
            "one payment intent for order " + task.contextId());
      }
      assertEquals(CHAINS, stripe.confirmed().size(), "each order charged once");
      System.out.printf("sentinel failover: primary killed after %d of the Stripe requests, %d chains settled %d ms"
          + " after the kill, %d Stripe requests in all%n", requestsAtKill, CHAINS, settledMs, stripe.requests());
    } finally {
      if (node != null) {
        node.stop().await();
      }
      vertx.close().await();
    }
  }

  private static void awaitRequests(Vertx vertx, FaultyStripe stripe, int count) {
    long deadline = System.currentTimeMillis() + 60_000;
    while (stripe.requests() < count) {
      assertTrue(System.currentTimeMillis() < deadline, "Stripe saw " + stripe.requests() + " requests");
      vertx.timer(2).await();
    }
  }

  /** Asks for the chain every 100 ms, through the failover (a failed read is asked again), for up to 90 s. */
  private static void awaitSettled(Vertx vertx, FlowpayNode node, Task task) {
    long deadline = System.currentTimeMillis() + 90_000;
    ChainStatus status = null;
    while (System.currentTimeMillis() < deadline) {
      status = node.queue().chain(task.chainId()).recover(notNow -> Future.succeededFuture(null)).await();
      if (status != null && status.settled()) {
        return;
      }
      vertx.timer(100).await();
    }
    throw new AssertionError("chain " + task.chainId() + " not settled after the failover: " + status);
  }
}
