package io.flowpay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bench's Redis counters: read from INFO answers, summed over nodes, differenced over a round, per hop. */
class RedisCountsTest {

  private static final String STATS = "# Stats\r\ntotal_connections_received:4\r\ntotal_commands_processed:90\r\n"
      + "total_net_input_bytes:%d\r\ntotal_net_output_bytes:%d\r\ntotal_reads_processed:%d\r\n";

  @Test
  void aRoundsCountsPerHopSumTheNodesAndLeaveTheBenchsOwnInfoOut() {
    RedisCounts before = node("cmdstat_evalsha:calls=10,usec=50,usec_per_call=5.00,rejected_calls=0,failed_calls=0\r\n"
        + "cmdstat_info:calls=3,usec=9,usec_per_call=3.00,rejected_calls=0,failed_calls=0", 1_000, 500, 20)
        .plus(node("cmdstat_xadd:calls=5,usec=5,usec_per_call=1.00,rejected_calls=0,failed_calls=0", 100, 50, 5));
    RedisCounts after = node("cmdstat_evalsha:calls=30,usec=50,usec_per_call=5.00,rejected_calls=0,failed_calls=0\r\n"
        + "cmdstat_info:calls=5,usec=9,usec_per_call=3.00,rejected_calls=0,failed_calls=0\r\n"
        + "cmdstat_xack:calls=20,usec=9,usec_per_call=3.00,rejected_calls=0,failed_calls=0", 3_000, 1_500, 52)
        .plus(node("cmdstat_xadd:calls=45,usec=5,usec_per_call=1.00,rejected_calls=0,failed_calls=0", 2_100, 1_050, 15));

    RedisCounts round = after.since(before);

    assertEquals(Map.of("evalsha", 20L, "info", 2L, "xack", 20L, "xadd", 40L), round.calls());
    assertEquals(80, round.commands(), "the 2 INFO calls are the bench's own");
    assertEquals(20, round.scriptCalls());
    assertEquals("requests 4.00, script calls 2.00, commands 8.00 (xadd 4.00, evalsha 2.00, xack 2.00), bytes in 400"
        + " / out 200", round.perHop(10));
  }

  @Test
  void theIdlePollingIsTakenOffScaledToTheRoundsLengthNeverBelowZero() {
    RedisCounts round = new RedisCounts(Map.of("evalsha", 100L, "zrangebyscore", 30L, "xadd", 50L), 400, 9_000, 4_000,
        120, 40);
    RedisCounts idleSecond = new RedisCounts(Map.of("zrangebyscore", 2L, "time", 1L), 3, 100, 50, 10, 1);

    RedisCounts hops = round.less(idleSecond, 10);

    assertEquals(Map.of("evalsha", 100L, "zrangebyscore", 10L, "xadd", 50L), hops.calls());
    assertEquals(new RedisCounts(Map.of(), 370, 8_000, 3_500, 20, 30), new RedisCounts(Map.of(), hops.reads(),
        hops.bytesIn(), hops.bytesOut(), hops.waits(), hops.preempted()));
    assertEquals(0, round.less(idleSecond, 1_000).reads(), "never below 0");
  }

  @Test
  void serverContextSwitchesAreSummedAndPrintedPerHopOnlyWhenCounted() {
    String status = "Name:\tredis-server\nvoluntary_ctxt_switches:\t350\nnonvoluntary_ctxt_switches:\t48\n";
    RedisCounts one = RedisCounts.NONE.withSwitches(ServerSwitches.field(status, "voluntary_ctxt_switches"),
        ServerSwitches.field(status, "nonvoluntary_ctxt_switches"));
    RedisCounts two = one.plus(RedisCounts.NONE.withSwitches(50, 2));

    assertEquals(400, two.waits());
    assertEquals(50, two.preempted());
    assertEquals("requests 0.00, script calls 0.00, commands 0.00 (), bytes in 0 / out 0, server context switches:"
        + " waits for work 4.00, preempted 0.50", two.perHop(100));
    assertEquals("requests 0.00, script calls 0.00, commands 0.00 (), bytes in 0 / out 0", RedisCounts.NONE.perHop(100),
        "a server of REDIS_URL: not counted, not printed");
  }

  private static RedisCounts node(String commandstats, long in, long out, long reads) {
    return RedisCounts.parse("# Commandstats\r\n" + commandstats + "\r\n", String.format(STATS, in, out, reads));
  }
}
