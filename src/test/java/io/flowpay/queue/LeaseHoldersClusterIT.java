package io.flowpay.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.config.RedisOptions;
import io.flowpay.flow.Ids;
import io.flowpay.standin.RedisCluster;
import io.flowpay.worker.FlowpayNode;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a Redis Cluster of three primaries, who holds each of 16 worker ids' leases is reported against the right
 * worker id. Their keys lie in 16 slots on all three nodes; a cross-slot MGET in vertx-redis-client 5.0.10's
 * Cluster mode came back in another order, so a pool saw held leases as free and a free one as held, and a second
 * serve process on a cluster waited for its last lease for minutes.
 */
class LeaseHoldersClusterIT {

  @TempDir
  Path dir;

  @Test
  void eachLeaseHolderIsReportedAgainstItsOwnWorkerIdOnACluster() {
    Vertx vertx = Vertx.vertx();
    try (RedisCluster cluster = RedisCluster.start(dir, 3)) {
      Redis redis = Redis.createClient(vertx, FlowpayNode.redisOptions(
          new RedisOptions().withCluster(cluster.endpoints()), 1));
      Leases leases = new Leases(redis);
      String prefix = "lh-" + Ids.newId().substring(0, 6) + "-";
      List<String> ids = new ArrayList<>();
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        ids.add(prefix + i);
        String token = i % 3 == 0 ? null : "token-" + i;
        expected.add(token);
        if (token != null) {
          assertTrue(leases.take(prefix + i, token, 60_000).await(), "lease of " + prefix + i + " taken");
        }
      }
      long nodes = ids.stream().map(id -> cluster.nodeOfSlot(RedisCluster.slot(RedisKeys.lease(id)))).distinct().count();
      assertEquals(3, nodes, "the leases' keys lie on all three nodes");

      assertEquals(expected, leases.holders(ids).await(), "holders in the order of the worker ids asked");
      leases.close().await();
    } finally {
      vertx.close().await();
    }
  }
}
