package io.flowpay.worker;

import static io.flowpay.FlowpayHarness.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.FlowpayHarness;
import io.flowpay.TestRedis;
import io.flowpay.config.ScheduleOptions;
import io.flowpay.flow.Ids;
import io.flowpay.queue.ScheduleStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schedules with two processes (two nodes on one Redis, each with its scheduler): one chain per tick,
 * through a restart, a missed tick run once at start (or skipped). Time is a clock the test moves; the
 * last test runs the nodes' own schedulers on the real clock and timers.
 */
@ExtendWith(TestRedis.Extension.class)
class SchedulerIT {

  private static final Instant T0 = Instant.parse("2031-03-04T05:06:07Z");
  private static final String COUNTING = "ctx.set('runs', (ctx.get('runs') || 0) + 1);";

  /** A clock the test moves. */
  private static final class MovingClock extends Clock {

    private volatile Instant now = T0;

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  private static ScheduleOptions everySecond(String worker, ScheduleOptions.Missed missed) {
    String name = "s-" + Ids.newId();
    return new ScheduleOptions(name, "* * * * * *", ZoneOffset.UTC, "ticked", new JsonObject(), worker,
        "sched:" + name, missed);
  }

  private static Scheduler scheduler(FlowpayHarness process, ScheduleOptions schedule, Clock clock) {
    return new Scheduler(process.vertx, process.node.queue(),
        new ScheduleStore(process.node.redis(), process.options.redis().chainRetentionSeconds()), List.of(schedule),
        clock, false);
  }

  /** Both processes fire the tick at once; returns how many chains they started together. */
  private static int tick(MovingClock clock, Scheduler a, Scheduler b) {
    clock.advance(Duration.ofSeconds(1));
    Future<Integer> first = a.fireDue();
    Future<Integer> second = b.fireDue();
    return first.await() + second.await();
  }

  private static List<ScheduleStore.Tick> ticks(FlowpayHarness process, ScheduleOptions schedule) {
    return oldestFirst(new ScheduleStore(process.node.redis(), 60).ticks(schedule, 100).await());
  }

  private static List<ScheduleStore.Tick> oldestFirst(List<ScheduleStore.Tick> newestFirst) {
    List<ScheduleStore.Tick> ticks = new java.util.ArrayList<>(newestFirst);
    java.util.Collections.reverse(ticks);
    return ticks;
  }

  private static List<Long> secondsAfterT0(List<ScheduleStore.Tick> ticks) {
    return ticks.stream().map(tick -> (tick.tick() - T0.toEpochMilli()) / 1000).toList();
  }

  /** Each tick's chain ran the flow once: as many runs in the context as ticks, and a distinct chain each. */
  private static void assertOneRunPerTick(FlowpayHarness worker, ScheduleOptions schedule, List<ScheduleStore.Tick> ticks) {
    Set<String> chains = new HashSet<>();
    for (ScheduleStore.Tick tick : ticks) {
      assertTrue(chains.add(tick.chainId()), "a chain per tick: " + ticks);
      List<JsonObject> runs = worker.awaitRuns(tick.chainId(), 1);
      assertEquals("ticked", runs.get(0).getString("flow"));
      assertEquals("schedule", runs.get(0).getString("caller_id"), runs.get(0).encode());
    }
    assertEquals(ticks.size(), worker.state(schedule.context()).getInteger("runs"), "one run per tick");
  }

  @Test
  void twoProcessesStartOneChainPerTick(TestRedis redis, @TempDir Path flows) {
    write(flows, "ticked", COUNTING);
    MovingClock clock = new MovingClock();
    try (FlowpayHarness one = new FlowpayHarness(redis, flows); FlowpayHarness two = new FlowpayHarness(redis, flows)) {
      ScheduleOptions schedule = everySecond(one.worker, ScheduleOptions.Missed.RUN_ONCE);
      Scheduler a = scheduler(one, schedule, clock);
      Scheduler b = scheduler(two, schedule, clock);
      Future.all(a.start(), b.start()).await();
      for (int i = 1; i <= 5; i++) {
        assertEquals(1, tick(clock, a, b), "tick " + i + " started one chain between the two processes");
      }
      assertEquals(0, a.fireDue().await() + b.fireDue().await(), "the same tick again starts nothing");
      List<ScheduleStore.Tick> ticks = ticks(one, schedule);
      assertEquals(List.of(1L, 2L, 3L, 4L, 5L), secondsAfterT0(ticks));
      assertOneRunPerTick(one, schedule, ticks);
    }
  }

  @Test
  void aRestartKeepsOneRunPerTickAndAMissedTickRunsOnceAtStart(TestRedis redis, @TempDir Path flows) {
    write(flows, "ticked", COUNTING);
    MovingClock clock = new MovingClock();
    try (FlowpayHarness one = new FlowpayHarness(redis, flows); FlowpayHarness two = new FlowpayHarness(redis, flows)) {
      ScheduleOptions schedule = everySecond(one.worker, ScheduleOptions.Missed.RUN_ONCE);
      Scheduler a = scheduler(one, schedule, clock);
      Scheduler b = scheduler(two, schedule, clock);
      Future.all(a.start(), b.start()).await();
      assertEquals(1, tick(clock, a, b));
      assertEquals(1, tick(clock, a, b));

      b.stop();
      two.stopNode();                                   // process two goes away mid-way
      clock.advance(Duration.ofSeconds(1));
      assertEquals(1, a.fireDue().await(), "process one alone keeps the schedule");
      two.startAgain();
      Scheduler b2 = scheduler(two, schedule, clock);
      assertEquals(0, b2.start().map(started -> b2.fireDue()).compose(f -> f).await(),
          "a restart does not start a tick that was started");
      assertEquals(1, tick(clock, a, b2));

      a.stop();
      b2.stop();                                        // no process runs the schedule for five ticks
      clock.advance(Duration.ofSeconds(5));
      Scheduler a3 = scheduler(one, schedule, clock);
      Scheduler b3 = scheduler(two, schedule, clock);
      Future.all(a3.start(), b3.start()).await();
      assertEquals(1, tick(clock, a3, b3));

      List<ScheduleStore.Tick> ticks = ticks(one, schedule);
      assertEquals(List.of(1L, 2L, 3L, 4L, 9L, 10L), secondsAfterT0(ticks),
          "ticks 5-8 passed with no process; the latest of them, 9, ran once at start");
      assertOneRunPerTick(one, schedule, ticks);
    }
  }

  @Test
  void missedTicksAreSkippedWhenTheScheduleSaysSo(TestRedis redis, @TempDir Path flows) {
    write(flows, "ticked", COUNTING);
    MovingClock clock = new MovingClock();
    try (FlowpayHarness one = new FlowpayHarness(redis, flows)) {
      ScheduleOptions schedule = everySecond(one.worker, ScheduleOptions.Missed.SKIP);
      Scheduler a = scheduler(one, schedule, clock);
      a.start().await();
      clock.advance(Duration.ofSeconds(1));
      assertEquals(1, a.fireDue().await());
      a.stop();
      clock.advance(Duration.ofSeconds(4));
      Scheduler again = scheduler(one, schedule, clock);
      again.start().await();
      assertEquals(List.of(1L), secondsAfterT0(ticks(one, schedule)), "no missed tick ran at start");
      clock.advance(Duration.ofSeconds(1));
      assertEquals(1, again.fireDue().await());
      assertEquals(List.of(1L, 6L), secondsAfterT0(ticks(one, schedule)));
    }
  }

  @Test
  void nodesRunTheConfiguredScheduleOnTheirTimersOnceATick(TestRedis redis, @TempDir Path flows) {
    write(flows, "ticked", COUNTING);
    String[] worker = new String[1];
    ScheduleOptions[] schedule = new ScheduleOptions[1];
    try (FlowpayHarness one = new FlowpayHarness(redis, flows, null, options -> {
      worker[0] = options.workers().get(0);
      schedule[0] = everySecond(worker[0], ScheduleOptions.Missed.RUN_ONCE);
      return options.withSchedules(List.of(schedule[0]));
    }); FlowpayHarness two = new FlowpayHarness(redis, flows, null, options -> options.withSchedules(List.of(schedule[0])))) {
      ScheduleStore store = new ScheduleStore(one.node.redis(), 60);
      long deadline = System.currentTimeMillis() + 20_000;
      while (store.ticks(schedule[0], 100).await().size() < 3 && System.currentTimeMillis() < deadline) {
        one.vertx.timer(50).await();
      }
      two.stopNode();         // process one goes on starting ticks: the ticks read now are checked
      List<ScheduleStore.Tick> ticks = oldestFirst(store.ticks(schedule[0], 100).await());
      assertTrue(ticks.size() >= 3, "the timers started ticks: " + ticks);
      for (int i = 1; i < ticks.size(); i++) {
        assertTrue(ticks.get(i).tick() > ticks.get(i - 1).tick() && ticks.get(i).tick() % 1000 == 0, ticks.toString());
      }
      Set<String> chains = new HashSet<>();
      ticks.forEach(tick -> assertTrue(chains.add(tick.chainId()), "a chain per tick: " + ticks));
      for (ScheduleStore.Tick tick : ticks) {
        assertEquals(1, one.awaitRuns(tick.chainId(), 1).size());
      }
    }
  }
}
