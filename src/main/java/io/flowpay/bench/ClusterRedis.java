package io.flowpay.bench;

import io.flowpay.standin.RedisCluster;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code --redis cluster}: primaries from the bundled redis-server ({@code --cluster-primaries}, 3 by default),
 * formed into a Redis Cluster for the run.
 */
final class ClusterRedis implements FleetRedis {

  static final int DEFAULT_PRIMARIES = 3;

  private final RedisCluster cluster;
  private final RedisCluster.Persistence persistence;
  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
  /** One plain client per node: {@code INFO cpu} is per server. */
  private final List<Redis> nodes;
  private final List<ServerSwitches> switches;

  /** Stops the nodes when the bench is stopped (Ctrl-C, SIGTERM) rather than left to end. */
  private final Thread hook;

  private ClusterRedis(RedisCluster cluster, RedisCluster.Persistence persistence) {
    this.cluster = cluster;
    this.persistence = persistence;
    this.hook = new Thread(cluster::close, "flowpay-bench-stop-redis-cluster");
    Runtime.getRuntime().addShutdownHook(hook);
    this.nodes = cluster.endpoints().stream()
        .map(url -> Redis.createClient(vertx, new RedisOptions().setConnectionString(url))).toList();
    this.switches = nodes.stream().map(ServerSwitches::of).toList();
  }

  /**
   * Starts the primaries under {@code dir} and waits until the cluster is ok.
   *
   * @param persist each node writes every change to its append-only file before it answers ({@code --redis-persist});
   *     else nothing is kept on disk, as the bench's standalone Redis runs, so that both topologies compare alike
   * @param primaries how many ({@code --cluster-primaries}): 1 runs Cluster's code (the client's Cluster mode, a
   *     cluster-enabled server) on one server, to tell what Cluster costs from what spreading over servers costs
   */
  static ClusterRedis start(Path dir, boolean persist, int primaries) {
    RedisCluster.Persistence persistence = persist ? RedisCluster.Persistence.APPEND_FSYNC_ALWAYS
        : RedisCluster.Persistence.NONE;
    return new ClusterRedis(RedisCluster.start(dir, primaries, persistence), persistence);
  }

  @Override
  public JsonObject configSection() {
    return new JsonObject().put("mode", "cluster").put("endpoints", new JsonArray(cluster.endpoints()));
  }

  /** Every primary's {@code used_cpu_user} + {@code used_cpu_sys}. */
  @Override
  public long cpuNanos() {
    long total = 0;
    for (Redis node : nodes) {
      total += StandaloneRedis.cpuNanos(node.send(Request.cmd(Command.INFO).arg("cpu")).await().toString());
    }
    return total;
  }

  @Override
  public RedisCounts counts() {
    RedisCounts total = RedisCounts.NONE;
    for (int i = 0; i < nodes.size(); i++) {
      total = total.plus(switches.get(i).add(StandaloneRedis.counts(nodes.get(i))));
    }
    return total;
  }

  @Override
  public String describe() {
    return "Redis Cluster of " + nodes.size() + " primar" + (nodes.size() == 1 ? "y" : "ies") + " (bundled redis-server, "
        + (persistence == RedisCluster.Persistence.NONE ? "no persistence" : "appendfsync always") + ", no replicas)";
  }

  @Override
  public void close() {
    try {
      nodes.forEach(Redis::close);
      vertx.close().await();
    } finally {
      cluster.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or will: it closes the nodes too
      }
    }
  }
}
