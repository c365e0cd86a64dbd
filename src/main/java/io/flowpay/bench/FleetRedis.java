package io.flowpay.bench;

import io.vertx.core.json.JsonObject;

/**
 * The Redis of a {@code bench --processes} run, as its parts need it: the {@code redis} section the
 * serve processes are configured with, a URL the bench drives and reads through, and the CPU time the
 * server(s) used. A seam: {@link RedisTopology#STANDALONE} has one server; Cluster will have several.
 */
interface FleetRedis extends AutoCloseable {

  /** The {@code redis} section of the children's config. */
  JsonObject configSection();

  /** How the bench reaches it (to start chains, read the sink stream, read leases): the children's section, read. */
  default io.flowpay.config.RedisOptions options() {
    return new io.flowpay.config.RedisOptions(configSection());
  }

  /** CPU time (user + system) the Redis server(s) used so far. */
  long cpuNanos();

  /** What the server(s) counted so far (commands, requests, bytes), summed over the nodes. */
  RedisCounts counts();

  /** e.g. {@code standalone, embedded, no persistence}: for the report's notes. */
  String describe();

  @Override
  void close();
}
