package io.flowpay.bench;

import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/** The options of {@code bench --processes}: Flowpay as N {@code serve} processes sharing a pool of worker ids. */
final class FleetOptions {

  static final int DEFAULT_WORKER_IDS = 16;
  static final int DEFAULT_LEASE_TTL_MS = io.flowpay.config.WorkerOptions.DEFAULT_LEASE_TTL_MS;

  @Option(names = "--processes", split = ",", paramLabel = "N",
      description = "Instead of the in-process modes: Flowpay hops served by N 'flowpay serve' processes sharing"
          + " a pool of worker ids, for each N given (e.g. 1,2); CPU per hop counts every serve process and Redis.")
  List<Integer> processes;

  @Option(names = "--redis", defaultValue = "standalone", paramLabel = "TOPOLOGY",
      description = "With --processes: the Redis they share: standalone (default) or cluster.")
  String redis;

  @Option(names = "--cluster-primaries", defaultValue = "" + ClusterRedis.DEFAULT_PRIMARIES, paramLabel = "N",
      description = "With --redis cluster: the cluster's primaries (default: ${DEFAULT-VALUE}); 1 runs Cluster mode on"
          + " one server, to tell what Cluster costs from what spreading the load over servers costs.")
  int clusterPrimaries;

  @Option(names = "--worker-ids", defaultValue = "" + DEFAULT_WORKER_IDS, paramLabel = "COUNT",
      description = "With --processes: worker ids in the pool the processes share (default: ${DEFAULT-VALUE}).")
  int workerIds;

  @Option(names = "--lease-ttl-ms", defaultValue = "" + DEFAULT_LEASE_TTL_MS, paramLabel = "MS",
      description = "With --processes: the worker ids' lease TTL (worker.leaseTtlMs, default: ${DEFAULT-VALUE});"
          + " the leases spread over the processes within a few of its thirds.")
  int leaseTtlMs;

  boolean enabled() {
    return processes != null;
  }

  /** Without {@code --processes}, a message naming its options that were given (they would do nothing); else null. */
  String strayProblem(ParseResult given) {
    List<String> stray = Stream.of("--redis", "--cluster-primaries", "--worker-ids", "--lease-ttl-ms").filter(given::hasMatchedOption).toList();
    return enabled() || stray.isEmpty() ? null : String.join(", ", stray) + " only apply with --processes N (e.g."
        + " --processes 1,2); the in-process modes run on one Redis";
  }

  /** What is wrong with the values, as a message naming the option and the fix; null when nothing is. */
  String problem() {
    if (processes.isEmpty() || processes.stream().anyMatch(n -> n < 1 || n > 16)) {
      return "--processes takes numbers from 1 to 16, e.g. 1,2";
    }
    if (workerIds < 1 || workerIds > 1024) {
      return "--worker-ids takes 1 to 1024";
    }
    if (processes.stream().anyMatch(n -> n > workerIds)) {
      return "--processes " + processes + " has more processes than --worker-ids " + workerIds
          + ": a process without a worker id serves nothing; give at least as many worker ids";
    }
    if (leaseTtlMs < 1_000 || leaseTtlMs > 600_000) {
      return "--lease-ttl-ms takes 1000 to 600000 (worker.leaseTtlMs's range)";
    }
    if (clusterPrimaries < 1 || clusterPrimaries > 16) {
      return "--cluster-primaries takes 1 to 16";
    }
    try {
      RedisTopology topology = RedisTopology.parse(redis);
      return topology != RedisTopology.CLUSTER && clusterPrimaries != ClusterRedis.DEFAULT_PRIMARIES
          ? "--cluster-primaries only applies with --redis cluster" : null;
    } catch (IllegalArgumentException bad) {
      return bad.getMessage();
    }
  }
}
