package io.flowpay.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stand-in cluster's persistence: by default a restarted node comes back with its data (the tests that restart
 * a primary rely on it); started without persistence, as the bench's nodes are, it comes back serving its slots,
 * empty.
 */
class RedisClusterIT {

  @TempDir
  Path dir;

  @Test
  void aRestartedNodeKeepsItsDataByDefault() {
    assertEquals("kept", valueAfterRestart(RedisCluster.start(dir.resolve("aof"), 3)));
  }

  @Test
  void aRestartedNodeOfAClusterWithoutPersistenceComesBackEmptyAndServing() {
    assertNull(valueAfterRestart(RedisCluster.start(dir.resolve("none"), 3, RedisCluster.Persistence.NONE)));
  }

  /** Writes a key, restarts the node that owns it, and reads it back through a cluster client. */
  private static String valueAfterRestart(RedisCluster started) {
    String key = "persist-check";
    Vertx vertx = Vertx.vertx();
    try (RedisCluster cluster = started) {
      Redis redis = Redis.createClient(vertx, new RedisOptions().setType(RedisClientType.CLUSTER)
          .setEndpoints(new java.util.ArrayList<>(cluster.endpoints())));
      redis.send(Request.cmd(Command.SET).arg(key).arg("kept")).await();
      redis.close();
      cluster.restart(cluster.nodeOfSlot(RedisCluster.slot(key)));
      Redis after = Redis.createClient(vertx, new RedisOptions().setType(RedisClientType.CLUSTER)
          .setEndpoints(new java.util.ArrayList<>(cluster.endpoints())));
      Response value = after.send(Request.cmd(Command.GET).arg(key)).await();
      after.close();
      return value == null ? null : value.toString();
    } finally {
      vertx.close().await();
    }
  }
}
