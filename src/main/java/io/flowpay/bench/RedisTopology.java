package io.flowpay.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The Redis the serve processes of {@code bench --processes} share ({@code --redis}): one server, or a
 * Redis Cluster. Each value says how to bring it up for a run ({@link #start}).
 */
enum RedisTopology {

  /** One redis-server: the bench's embedded one, or {@code REDIS_URL}'s. */
  STANDALONE,

  /**
   * Primaries from the bundled redis-server formed into a Redis Cluster ({@link ClusterRedis}); the
   * children run in {@code redis.mode "cluster"}, and Redis's CPU is the sum over the primaries.
   */
  CLUSTER;

  /** The value of {@code --redis}; a clear error naming the option for anything else. */
  static RedisTopology parse(String value) {
    return Arrays.stream(values()).filter(topology -> topology.optionValue().equals(value.toLowerCase(Locale.ROOT)))
        .findFirst().orElseThrow(() -> new IllegalArgumentException("--redis takes standalone or cluster (got '"
            + value + "')"));
  }

  String optionValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Brings this topology up for one bench run.
   *
   * @param standalone brings up the one server of {@link #STANDALONE} (the bench's embedded one, or REDIS_URL's)
   * @param dir where the cluster's nodes keep their data
   * @param persist the cluster's nodes write every change to disk before they answer ({@code --redis-persist})
   * @param primaries the cluster's primaries ({@code --cluster-primaries})
   */
  FleetRedis start(Supplier<FleetRedis> standalone, Path dir, boolean persist, int primaries) {
    return switch (this) {
      case STANDALONE -> standalone.get();
      case CLUSTER -> ClusterRedis.start(dir, persist, primaries);
    };
  }
}
