package io.flowpay.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.config.FlowpayOptions;
import io.flowpay.config.WorkerIds;
import io.flowpay.flow.Ids;
import io.flowpay.metrics.FlowMetrics;
import io.flowpay.queue.RedisKeys;
import io.flowpay.standin.RedisCluster;
import io.flowpay.stripe.WebClientStripeClient;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes (each its own Vert.x, as two serve processes would be) share 16 worker ids on a Redis Cluster of three
 * primaries, as {@code bench --processes 2 --redis cluster} runs them: the pool settles with 8 ids each, and every
 * lease in Redis is held by the one node that serves its id. (The second node used to wait for its last leases for
 * minutes: it read the holders of the ids from a cross-slot MGET whose answers the client joined out of order.)
 */
class ClusterPoolIT {

  private static final int LEASE_TTL_MS = 3_000;

  @TempDir
  Path dir;

  @Test
  void twoNodesOnAClusterEachServeHalfOf16IdsAndEachLeaseHasOneHolder() {
    Path flows = dir.resolve("flows");
    ClusterIT.writeFlows(flows);
    Vertx first = Vertx.vertx();
    Vertx second = Vertx.vertx();
    FlowpayNode one = null;
    FlowpayNode two = null;
    try (RedisCluster cluster = RedisCluster.start(dir.resolve("cluster"), 3)) {
      List<String> ids = WorkerIds.expand(List.of("cp-" + Ids.newId().substring(0, 6) + "-{0..15}"));
      FlowpayOptions defaults = new FlowpayOptions();
      FlowpayOptions options = defaults.withRedis(defaults.redis().withCluster(cluster.endpoints()))
          .withWorker(defaults.worker().withLeaseTtlMs(LEASE_TTL_MS))
          .withWorkers(ids)
          .withFlowsDir(flows);
      one = FlowpayNode.start(first, options, new WebClientStripeClient(first, options.stripe(), "sk_test_pool"),
          new FlowMetrics()).await();
      two = FlowpayNode.start(second, options, new WebClientStripeClient(second, options.stripe(), "sk_test_pool"),
          new FlowMetrics()).await();
      FlowpayNode firstNode = one;
      FlowpayNode secondNode = two;

      assertTrue(PaymentChains.await(first, 90_000, () -> serving(firstNode).size() == 8
              && serving(secondNode).size() == 8),
          "each serves 8 of the 16 ids: " + one.workers() + " / " + two.workers());
      Set<String> all = new HashSet<>(serving(one));
      all.addAll(serving(two));
      assertEquals(new HashSet<>(ids), all, "every id is served, none by both");
      assertEachLeaseHeldByItsServer(one, serving(one), serving(two));

      two.stop().await();
      two = null;
      one.stop().await();
      one = null;
    } finally {
      if (two != null) {
        two.stop().await();
      }
      if (one != null) {
        one.stop().await();
      }
      first.close().await();
      second.close().await();
    }
  }

  private static Set<String> serving(FlowpayNode node) {
    Set<String> running = new HashSet<>();
    node.workers().forEach((id, on) -> {
      if (on) {
        running.add(id);
      }
    });
    return running;
  }

  /** A lease's token begins with its holder's process name ({@code host/pid/random}, then a random part of its own). */
  private static void assertEachLeaseHeldByItsServer(FlowpayNode node, Set<String> firstIds, Set<String> secondIds) {
    String firstHolder = holderOf(node, firstIds);
    String secondHolder = holderOf(node, secondIds);
    assertNotEquals(firstHolder, secondHolder, "the two nodes hold their leases under different names");
  }

  /** The one process that holds every lease of {@code ids}. */
  private static String holderOf(FlowpayNode node, Set<String> ids) {
    Set<String> holders = new HashSet<>();
    for (String id : ids) {
      Response token = node.redis().send(Request.cmd(Command.GET).arg(RedisKeys.lease(id))).await();
      assertTrue(token != null, "the lease of " + id + " is held");
      String value = token.toString();
      holders.add(value.substring(0, value.lastIndexOf('/')));
    }
    assertEquals(1, holders.size(), "one process holds the leases of " + ids + ": " + holders);
    return holders.iterator().next();
  }
}
