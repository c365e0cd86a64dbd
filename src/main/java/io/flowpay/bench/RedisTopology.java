package io.flowpay.bench;

import io.flowpay.failure.FlowpayFailure;
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
   * Three primaries formed into a Redis Cluster. Not wired yet: it needs Flowpay's cluster mode
   * ({@code redis.mode "cluster"}, every commit on one slot). Where it goes: {@link #start} returns a
   * {@link FleetRedis} that forms the cluster from embedded servers (CLUSTER MEET / ADDSLOTS), gives the
   * children a {@code redis} section in cluster mode, and sums {@code INFO cpu} over the primaries.
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
   */
  FleetRedis start(Supplier<FleetRedis> standalone) {
    return switch (this) {
      case STANDALONE -> standalone.get();
      case CLUSTER -> throw new FlowpayFailure(FlowpayFailure.Kind.CONFIG_INVALID, "--redis cluster needs Redis Cluster"
          + " support (redis.mode \"cluster\"), which this build of Flowpay does not have yet: run with"
          + " --redis standalone");
    };
  }
}
