package io.flowpay.worker;

import io.flowpay.flow.Caller;
import io.flowpay.config.ScheduleOptions;
import io.flowpay.flow.Task;
import io.flowpay.queue.RedisTaskQueue;
import io.flowpay.queue.ScheduleStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Starts the config's schedules' main flows on their cron ticks. Each schedule waits on one Vert.x timer
 * set to its next tick (no polling); when it fires, the tick's chain is started through
 * {@link ScheduleStore#fire}, which starts it only if no process started that tick (or a later one)
 * already: every process of a pool may run the same schedules and each tick still starts one chain. At
 * start, a schedule whose {@code missed} is {@code run-once} starts the latest tick that passed while no
 * process ran, once. Time comes from a {@link Clock}, so tests move it instead of waiting for ticks.
 */
public final class Scheduler {

  private static final System.Logger LOG = System.getLogger(Scheduler.class.getName());

  private final Vertx vertx;
  private final RedisTaskQueue queue;
  private final ScheduleStore store;
  private final List<ScheduleOptions> schedules;
  private final Clock clock;
  private final boolean timers;
  private final Map<String, Long> armed = new ConcurrentHashMap<>();
  private volatile boolean stopped;

  /**
   * @param timers false to leave firing to {@link #fireDue} (tests that move {@code clock} by hand)
   */
  public Scheduler(Vertx vertx, RedisTaskQueue queue, ScheduleStore store, List<ScheduleOptions> schedules, Clock clock,
      boolean timers) {
    this.vertx = vertx;
    this.queue = queue;
    this.store = store;
    this.schedules = List.copyOf(schedules);
    this.clock = clock;
    this.timers = timers;
  }

  /** Runs each schedule's missed tick (when it should), then sets its timer to its next tick. */
  public Future<Void> start() {
    return Future.join(schedules.stream().map(schedule -> catchUp(schedule)
        .onComplete(done -> arm(schedule, clock.instant()))).toList()).mapEmpty();
  }

  /** Cancels the timers; a tick being started finishes. */
  public void stop() {
    stopped = true;
    armed.values().forEach(vertx::cancelTimer);
    armed.clear();
  }

  /**
   * Starts, for each schedule, the latest tick at or before now unless it was started already: what a
   * timer does when it fires. Returns how many chains this call started.
   */
  public Future<Integer> fireDue() {
    Instant now = clock.instant();
    List<Future<Boolean>> fired = schedules.stream()
        .map(schedule -> schedule.latest(now) == null ? Future.succeededFuture(false) : fire(schedule, schedule.latest(now)))
        .toList();
    return Future.all(fired).map(done -> (int) fired.stream().filter(Future::result).count());
  }

  /** A tick that passed after the last one started (or after the schedule was first seen) runs once now. */
  private Future<Boolean> catchUp(ScheduleOptions schedule) {
    Instant now = clock.instant();
    return store.register(schedule, now.toEpochMilli())
        .compose(registered -> store.state(schedule))
        .compose(state -> {
          Instant missed = schedule.latest(now);
          long after = state.lastTick() != null ? state.lastTick() : state.since();
          return schedule.missed() == ScheduleOptions.Missed.SKIP || missed == null || missed.toEpochMilli() <= after
              ? Future.succeededFuture(false) : fire(schedule, missed);
        })
        .onFailure(error -> LOG.log(Level.WARNING, "schedule " + schedule.name() + ": cannot look for a missed tick ("
            + error.getMessage() + "); it goes on from its next tick"));
  }

  private void arm(ScheduleOptions schedule, Instant after) {
    Instant next = schedule.next(after);
    if (stopped || !timers || next == null) {
      return;
    }
    long delay = Math.max(1, Duration.between(clock.instant(), next).toMillis());
    armed.put(schedule.name(), vertx.setTimer(delay, timer -> {
      Instant due = later(schedule.latest(clock.instant()), next);  // a late timer starts the latest due tick, once
      fire(schedule, due).onComplete(done -> arm(schedule, later(clock.instant(), due)));
    }));
  }

  /** Starts the tick's chain unless some process did; true when this call started it. */
  private Future<Boolean> fire(ScheduleOptions schedule, Instant tick) {
    Task task = Task.main(schedule.flow(), schedule.worker(), schedule.context(), Caller.SCHEDULE, schedule.input());
    return queue.ensureGroup(schedule.worker())
        .compose(made -> store.fire(schedule, tick.toEpochMilli(), task))
        .onSuccess(started -> {
          if (started) {
            LOG.log(Level.INFO, () -> "schedule " + schedule.name() + ": tick " + tick + " started flow "
                + schedule.flow() + " in context " + schedule.context() + ", chain " + task.chainId());
          }
        })
        .onFailure(error -> LOG.log(Level.WARNING, "schedule " + schedule.name() + ": tick " + tick
            + " could not be started (" + error.getMessage() + "); the next tick is still set"));
  }

  private static Instant later(Instant a, Instant b) {
    return a == null || b.isAfter(a) ? b : a;
  }
}
