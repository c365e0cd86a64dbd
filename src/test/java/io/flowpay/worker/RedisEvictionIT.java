package io.flowpay.worker;

import static io.flowpay.FlowpayHarness.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.config.FlowpayOptions;
import io.flowpay.failure.FlowpayFailure;
import io.flowpay.flow.Ids;
import io.flowpay.metrics.FlowMetrics;
import io.flowpay.standin.EmbeddedRedis;
import io.flowpay.standin.RedisCluster;
import io.flowpay.stripe.WebClientStripeClient;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Redis that may evict keys when full could drop a task, a call in the outbox, a lease or a start mark: workers
 * do not start on one, and say what to set. Every policy Redis has is tried on a Redis of the test's own (it changes
 * the server's settings); on a Cluster, each master of three in turn is set to evict.
 */
class RedisEvictionIT {

  /** Every {@code maxmemory-policy} Redis 6.2 has. */
  private static final List<String> POLICIES = List.of("noeviction", "allkeys-lru", "allkeys-lfu", "allkeys-random",
      "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl");

  @TempDir
  Path dir;

  @Test
  void workersStartOnlyOnARedisThatNeverEvictsTheirKeys() {
    Path flows = dir.resolve("flows");
    write(flows, "main", "ctx.set('ran', true);");
    Vertx vertx = Vertx.vertx();
    try (EmbeddedRedis server = EmbeddedRedis.start()) {
      Redis admin = Redis.createClient(vertx, new RedisOptions().setConnectionString(server.url()));
      FlowpayOptions defaults = new FlowpayOptions();
      FlowpayOptions options = defaults.withRedis(defaults.redis().withUrl(server.url()))
          .withWorkers(List.of("evict-" + Ids.newId().substring(0, 8)))
          .withFlowsDir(flows);
      for (String policy : POLICIES) {
        set(admin, "maxmemory", "1gb");
        set(admin, "maxmemory-policy", policy);
        long keysBefore = keys(admin);
        if (policy.equals("noeviction")) {
          FlowpayNode node = start(vertx, options);
          node.stop().await();
          continue;
        }
        FlowpayFailure refused = refused(vertx, options);
        assertTrue(refused.getMessage().contains("maxmemory-policy " + policy + " (maxmemory 1073741824 bytes)")
            && refused.getMessage().contains("Set maxmemory-policy noeviction"), policy + ": " + refused.getMessage());
        assertEquals(FlowpayFailure.Kind.CONFIG_INVALID, refused.kind());
        assertEquals(keysBefore, keys(admin), policy + ": nothing written (no lease taken, no worker stream made)");
      }
      // No maxmemory: nothing is evicted whatever the policy (a warning is logged); the workers start.
      set(admin, "maxmemory", "0");
      set(admin, "maxmemory-policy", "allkeys-lru");
      start(vertx, options).stop().await();
      admin.close();
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void onAClusterEveryMasterIsChecked() {
    Path flows = dir.resolve("flows-cluster");
    write(flows, "main", "ctx.set('ran', true);");
    Vertx vertx = Vertx.vertx();
    try (RedisCluster cluster = RedisCluster.start(dir.resolve("cluster"), 3)) {
      FlowpayOptions defaults = new FlowpayOptions();
      FlowpayOptions options = defaults.withRedis(defaults.redis().withCluster(cluster.endpoints()))
          .withWorkers(List.of("evict-" + Ids.newId().substring(0, 8)))
          .withFlowsDir(flows);
      for (RedisCluster.Node node : cluster.nodes()) {
        Redis admin = Redis.createClient(vertx, new RedisOptions().setConnectionString(node.url()));
        set(admin, "maxmemory", "100mb");
        set(admin, "maxmemory-policy", "volatile-lru");
        FlowpayFailure refused = refused(vertx, options);
        assertTrue(refused.getMessage().contains("maxmemory-policy volatile-lru (maxmemory 104857600 bytes)"),
            "master " + node.port() + " of 3 evicts: " + refused.getMessage());
        set(admin, "maxmemory-policy", "noeviction");
        admin.close();
      }
      start(vertx, options).stop().await();
    } finally {
      vertx.close().await();
    }
  }

  private static FlowpayNode start(Vertx vertx, FlowpayOptions options) {
    return FlowpayNode.start(vertx, options, new WebClientStripeClient(vertx, options.stripe(), "sk_test_evict"),
        new FlowMetrics()).await();
  }

  private static FlowpayFailure refused(Vertx vertx, FlowpayOptions options) {
    return assertInstanceOf(FlowpayFailure.class, assertThrows(Exception.class, () -> start(vertx, options)));
  }

  private static void set(Redis admin, String setting, String value) {
    admin.send(Request.cmd(Command.CONFIG).arg("SET").arg(setting).arg(value)).await();
  }

  private static long keys(Redis admin) {
    return admin.send(Request.cmd(Command.DBSIZE)).await().toLong();
  }
}
