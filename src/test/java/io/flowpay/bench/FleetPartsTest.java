package io.flowpay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.Main;
import io.flowpay.failure.FlowpayFailure;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure parts of {@code bench --processes}: the topology option, the option checks, the 1-vs-N comparison. */
class FleetPartsTest {

  @Test
  void unknownTopologyNamesTheOptionAndItsValues() {
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> RedisTopology.parse("sentinel"));

    assertEquals("--redis takes standalone or cluster (got 'sentinel')", bad.getMessage());
  }

  @Test
  void optionsAreCheckedWithAMessageNamingTheOption() {
    assertNull(options(List.of(1, 2), 16, 10_000, "standalone").problem());
    assertEquals("--processes takes numbers from 1 to 16, e.g. 1,2", options(List.of(0), 16, 10_000, "standalone").problem());
    assertEquals("--worker-ids takes 1 to 1024", options(List.of(1), 0, 10_000, "standalone").problem());
    assertEquals("--lease-ttl-ms takes 1000 to 600000 (worker.leaseTtlMs's range)",
        options(List.of(1), 16, 500, "standalone").problem());
    assertEquals("--redis takes standalone or cluster (got 'redis://x')", options(List.of(1), 16, 10_000, "redis://x")
        .problem());
  }

  @Test
  void clusterPrimariesAreCheckedAndOnlyGoWithACluster() {
    FleetOptions one = options(List.of(1), 16, 10_000, "cluster");
    one.clusterPrimaries = 1;
    assertNull(one.problem());
    FleetOptions none = options(List.of(1), 16, 10_000, "cluster");
    none.clusterPrimaries = 0;
    assertEquals("--cluster-primaries takes 1 to 16", none.problem());
    FleetOptions standalone = options(List.of(1), 16, 10_000, "standalone");
    standalone.clusterPrimaries = 1;
    assertEquals("--cluster-primaries only applies with --redis cluster", standalone.problem());
  }

  /** Fails before anything starts (no Redis, no socket): the in-process bench would silently ignore them. */
  @Test
  void fleetOptionsWithoutProcessesAreAUsageErrorNamingThem() {
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();

    int code = Main.execute(Map.of(), new PrintWriter(stdout, true), new PrintWriter(stderr, true),
        "bench", "--redis", "cluster", "--worker-ids", "4", "--quick");

    assertEquals(2, code, stdout + "\n" + stderr);
    assertTrue(stderr.toString().contains("--redis, --worker-ids only apply with --processes N"), stderr.toString());
  }

  @Test
  void eachProcessCountIsComparedWithTheFirstAtTheSameConcurrency() {
    Report.Row one16 = row("flowpay-1p", 16, 1000, 400, 200);
    Report.Row one256 = row("flowpay-1p", 256, 2000, 300, 100);
    Report.Row two16 = row("flowpay-2p", 16, 1500, 500, 220);
    Report.Row two256 = row("flowpay-2p", 256, 1000, 500, 100);

    List<String> lines = FleetBench.comparison(List.of(one16, one256, two16, two256));

    assertEquals(List.of(
        "at 16 in flight, flowpay-2p against flowpay-1p: hops/s 1.50x, CPU per hop (serve processes + Redis) 720 us = 1.20x",
        "at 256 in flight, flowpay-2p against flowpay-1p: hops/s 0.50x, CPU per hop (serve processes + Redis) 600 us = 1.50x"),
        lines);
  }

  private static Report.Row row(String mode, int inFlight, double ops, double cpu, double redisCpu) {
    return new Report.Row(mode, inFlight, List.of(new Round(ops, 1, 2, cpu, redisCpu, 0, 0, 0)));
  }

  private static FleetOptions options(List<Integer> processes, int workerIds, int leaseTtlMs, String redis) {
    FleetOptions options = new FleetOptions();
    options.processes = processes;
    options.workerIds = workerIds;
    options.leaseTtlMs = leaseTtlMs;
    options.redis = redis;
    options.clusterPrimaries = ClusterRedis.DEFAULT_PRIMARIES;
    return options;
  }
}
