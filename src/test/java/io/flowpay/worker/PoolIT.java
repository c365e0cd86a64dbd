package io.flowpay.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.TestRedis;
import io.flowpay.config.FlowpayOptions;
import io.flowpay.config.WorkerIds;
import io.flowpay.flow.Ids;
import io.flowpay.flow.Task;
import io.flowpay.metrics.FlowMetrics;
import io.flowpay.queue.RedisTaskQueue;
import io.flowpay.stripe.WebClientStripeClient;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes (each its own Vert.x, as two processes would be) share 8 worker ids: the second joins
 * while chains run and ends up with half the leases, which the first gave up only after draining
 * them (no lease was lost, so no write of it was ever refused); when the second leaves, the first
 * takes them all back. No chain is lost, no order runs a step twice or is charged twice.
 */
@ExtendWith(TestRedis.Extension.class)
class PoolIT {

  private static final int LEASE_TTL_MS = 3_000;

  @TempDir
  Path dir;

  @Test
  void joiningNodeTakesHalfTheLeasesAfterTheFirstDrainedThemAndLeavingGivesThemBack(TestRedis redis)
      throws Exception {
    Path flows = dir.resolve("flows");
    PaymentChains.writeFlows(flows);
    Vertx test = Vertx.vertx();
    Vertx first = Vertx.vertx();
    Vertx second = Vertx.vertx();
    PaymentChains stripe = new PaymentChains(test, 20, 120);
    List<String> ids = WorkerIds.expand(List.of("pool-" + Ids.newId().substring(0, 6) + "-{0..7}"));
    FlowpayOptions options = options(redis, flows, stripe.baseUrl(), ids);
    FlowMetrics firstMetrics = new FlowMetrics();
    FlowMetrics secondMetrics = new FlowMetrics();
    FlowpayNode one = null;
    FlowpayNode two = null;
    try {
      one = FlowpayNode.start(first, options, new WebClientStripeClient(first, options.stripe(), "sk_test_pool"),
          firstMetrics).await();
      FlowpayNode firstNode = one;
      assertEquals(ids.size(), one.workers().size(), "alone in its pool, it serves every id");
      RedisTaskQueue queue = one.queue();
      List<Task> orders = new ArrayList<>(PaymentChains.startOrders(queue, ids, 40));
      PaymentChains.await(test, 60_000, () -> stripe.requestCount() >= 20);

      two = FlowpayNode.start(second, options, new WebClientStripeClient(second, options.stripe(), "sk_test_pool"),
          secondMetrics).await();
      FlowpayNode secondNode = two;
      long joined = System.nanoTime();
      assertTrue(PaymentChains.await(test, 60_000, () -> running(firstNode) == 4 && running(secondNode) == 4),
          "each serves half: " + one.workers() + " / " + two.workers());
      long balancedMs = (System.nanoTime() - joined) / 1_000_000;
      PaymentChains.settle(test, queue, orders);
      stripe.assertEveryOrderRanOnceAndChargedOnce(queue, orders);
      assertEquals(4.0, leases(firstMetrics, "released"), "the first gave 4 leases up");
      assertEquals(0.0, leases(firstMetrics, "lost"), "after draining them: none was lost (fenced)");
      assertEquals(4.0, leases(secondMetrics, "taken"));

      two.stop().await();
      two = null;
      long left = System.nanoTime();
      assertTrue(PaymentChains.await(test, 60_000, () -> running(firstNode) == ids.size()),
          "the first serves every id again: " + one.workers());
      long backMs = (System.nanoTime() - left) / 1_000_000;
      assertEquals(4.0, leases(secondMetrics, "released"));
      assertEquals(0.0, leases(secondMetrics, "lost"));
      List<Task> more = PaymentChains.startOrders(queue, ids, 16);
      PaymentChains.settle(test, queue, more);
      orders.addAll(more);
      stripe.assertEveryOrderRanOnceAndChargedOnce(queue, orders);
      System.out.printf("pool: a second node joined and the pool was balanced 4/4 in %d ms; when it left the first"
          + " served all 8 again in %d ms (lease TTL %d ms); %d orders, each run once and charged once%n",
          balancedMs, backMs, LEASE_TTL_MS, orders.size());
    } finally {
      if (two != null) {
        two.stop().await();
      }
      if (one != null) {
        one.stop().await();
      }
      stripe.close();
      first.close().await();
      second.close().await();
      test.close().await();
    }
  }

  static FlowpayOptions options(TestRedis redis, Path flows, String stripeBase, List<String> ids) {
    FlowpayOptions defaults = new FlowpayOptions();
    return defaults.withRedis(defaults.redis().withUrl(redis.url()))
        .withStripe(defaults.stripe().withApiBase(stripeBase))
        .withWorker(defaults.worker().withLeaseTtlMs(LEASE_TTL_MS))
        .withWorkers(ids)
        .withFlowsDir(flows);
  }

  private static long running(FlowpayNode node) {
    return node.workers().values().stream().filter(Boolean::booleanValue).count();
  }

  private static double leases(FlowMetrics metrics, String event) {
    return metrics.registry().find("flowpay.leases").tag("event", event).counters().stream()
        .mapToDouble(counter -> counter.count()).sum();
  }

}
