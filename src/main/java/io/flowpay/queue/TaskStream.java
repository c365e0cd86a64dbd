package io.flowpay.queue;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A worker's task stream: its consumer group, reading new tasks, claiming back those a dead consumer
 * held, the runs started of tasks delivered again, and moving due timers in.
 */
public final class TaskStream {

  private final Redis redis;
  private final ClaimScript claim;
  private final TimersScript timers;
  private final RunsStartedScript runsStarted;
  /** Workers whose group this stream made sure of; a group lost later is made again by its worker (NOGROUP). */
  private final Set<String> groupsMade = ConcurrentHashMap.newKeySet();

  TaskStream(QueueScope scope) {
    this.redis = scope.redis();
    this.claim = new ClaimScript(scope);
    this.timers = new TimersScript(scope);
    this.runsStarted = new RunsStartedScript(scope);
  }

  /** Creates the worker's stream and consumer group if missing (from the start of the stream). */
  public Future<Void> ensureGroup(String worker) {
    return ensureGroup(redis, worker);
  }

  static Future<Void> ensureGroup(Redis redis, String worker) {
    Request create = Request.cmd(Command.XGROUP).arg("CREATE").arg(RedisKeys.tasks(worker))
        .arg(RedisKeys.GROUP).arg("0").arg("MKSTREAM");
    return redis.send(create).<Void>mapEmpty()
        .recover(error -> String.valueOf(error.getMessage()).startsWith("BUSYGROUP")
            ? Future.succeededFuture()
            : Future.failedFuture(error))
        .compose(made -> redis.send(Request.cmd(Command.SADD).arg(RedisKeys.workerIds()).arg(worker)).mapEmpty());
  }

  /** As {@link #ensureGroup}, once per worker in this process. */
  Future<Void> ensureGroupOnce(String worker) {
    return groupsMade.contains(worker) ? Future.succeededFuture()
        : ensureGroup(worker).onSuccess(made -> groupsMade.add(worker));
  }

  /**
   * Reads up to {@code count} new tasks for {@code worker}, waiting up to {@code blockMs} for the
   * first. Tasks handed out before and never acknowledged come back through {@link #claim}.
   */
  public Future<List<Delivery>> read(RedisConnection connection, String worker, int count, long blockMs) {
    Request request = Request.cmd(Command.XREADGROUP).arg("GROUP").arg(RedisKeys.GROUP).arg(worker)
        .arg("COUNT").arg(count).arg("BLOCK").arg(blockMs).arg("STREAMS").arg(RedisKeys.tasks(worker)).arg(">");
    return connection.send(request).map(response -> StreamEntries.deliveries(worker, response));
  }

  /**
   * Takes back up to {@code count} tasks of {@code worker} handed out at least {@code minIdleMs}
   * ago and never acknowledged, with their delivery counts (this one included).
   *
   * @param after "-" for the first page, else the last entry id of the previous page
   * @param held entries the caller holds already: skipped, since a claim counts as a delivery
   * @return the deliveries, and the id to pass as {@code after} for the next page ("" when done)
   */
  public Future<Claimed> claim(String worker, long minIdleMs, int count, String after, Collection<String> held) {
    return claim.run(worker, minIdleMs, count, after, held);
  }

  /**
   * Records, before it starts, a run of an entry that was delivered more than once: if its process
   * dies during the run, the next claim knows a run of it died ({@code alone}: with no other run
   * of the worker beside it, so that it was this run that died).
   */
  public Future<Void> runStarting(Delivery delivery, boolean alone) {
    return runsStarted.starting(delivery, alone);
  }

  /** Forgets the runs recorded for an entry that is done with (committed or parked). */
  public Future<Void> runsDone(Delivery delivery) {
    return runsStarted.done(delivery);
  }

  /** Moves up to {@code count} due {@code flow.after} timers of {@code worker} into its stream. */
  public Future<Integer> moveDueTimers(String worker, int count) {
    return timers.run(worker, count);
  }

  /** The worker's stream as an autoscaler reads it: tasks not done yet, and the oldest one's age. */
  Future<Backlog> backlog(String worker) {
    return Backlog.read(redis, worker);
  }
}
