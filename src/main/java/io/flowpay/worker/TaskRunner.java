package io.flowpay.worker;

import io.flowpay.flow.Caller;
import io.flowpay.failure.FlowpayFailure;
import io.flowpay.flow.Call;
import io.flowpay.flow.RunResult;
import io.flowpay.flow.Task;
import io.flowpay.queue.Answer;
import io.flowpay.queue.Commit;
import io.flowpay.queue.Delivery;
import io.flowpay.queue.Forwarded;
import io.flowpay.queue.PreparedCommit;
import io.flowpay.queue.Snapshot;
import io.flowpay.script.FlowEngine;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs one admitted task to its commit: the context's state (from its cache, or Redis), the flow on
 * a script thread (never the event loop), the commit (group-committed with other runs), a re-run
 * when the context changed meanwhile; then hands the run's calls to the sender. A task of a disabled
 * flow is parked. Used from the worker's event loop only.
 */
final class TaskRunner {

  private static final System.Logger LOG = System.getLogger(TaskRunner.class.getName());
  private static final int MAX_CONFLICT_RERUNS = 10;
  private static final long SNAPSHOT_CACHE_CHARS = 16L << 20;
  /**
   * Group commit: runs at most in one request to Redis. 256, not 32: with thousands of runs ready, 32 per request
   * left them waiting with their encoded commits until the heap filled (README, 10,000 in flight); a larger request
   * holds Redis longer (README, Design: Group commit).
   */
  static final int ITEMS_PER_REQUEST = 256;
  /** Group commit: such requests on their way at once. */
  private static final int REQUESTS_IN_FLIGHT = 2;
  /**
   * Runs started and not yet committed, at most. More wait as deliveries, before their run, rather than as
   * results and encoded commits after it, which hold the task's texts again: thousands of them waiting for Redis
   * filled the heap at 10,000 in flight (README, Benchmarks). Four full group commits.
   */
  static final int RUNS_UNCOMMITTED = 4 * ITEMS_PER_REQUEST;

  private final WorkerScope scope;
  private final FlowEngine engine;
  private final WorkerExecutor scripts;
  private final Parking parking;
  private final Consumer<Call> send;
  private final Function<Answer, Future<Boolean>> store;
  /** The state of contexts this worker committed lately: a run starts from it without asking Redis. */
  private final SnapshotCache snapshots = new SnapshotCache(SNAPSHOT_CACHE_CHARS);
  private final Batcher<PreparedCommit, Commit> commits;
  private final Consumer<Forwarded> forwarded;
  /** Flows this worker saw disabled: their tasks read the flow's state before they run. */
  private final Set<String> disabledFlows = new HashSet<>();
  /** Runs under way, from their start to their commit ({@link #RUNS_UNCOMMITTED}). */
  private final Turns uncommitted = new Turns(RUNS_UNCOMMITTED);

  /**
   * @param forwarded told what a commit wrote to the worker's forward stream ({@link ForwardPump#written})
   * @param store stores an answer held in memory as a task on the worker's stream (reply.lua), for when its
   *     run cannot commit it: parked, or its commit failed for good
   */
  TaskRunner(WorkerScope scope, FlowEngine engine, WorkerExecutor scripts, Parking parking, Consumer<Call> send,
      Function<Answer, Future<Boolean>> store, Consumer<Forwarded> forwarded) {
    this.store = store;
    this.forwarded = forwarded;
    this.scope = scope;
    this.engine = engine;
    this.scripts = scripts;
    this.parking = parking;
    this.send = send;
    this.commits = new Batcher<>(scope.queue()::commit, ITEMS_PER_REQUEST, REQUESTS_IN_FLIGHT);
  }

  /**
   * Runs one task to its commit, then sends its calls. Never fails: the lane moves on.
   *
   * @param mode how it was admitted (a run of a task delivered again is recorded first)
   */
  Future<?> process(Delivery delivery, Admission.Mode mode) {
    if (scope.lease().lost()) {
      return Future.succeededFuture();  // left pending, uncommitted, for the lease's new holder
    }
    Task task = delivery.task();
    boolean recorded = mode == Admission.Mode.RUN_RECORDED || mode == Admission.Mode.RUN_ALONE;
    Future<Void> ready = recorded
        ? scope.retry().retry(() -> scope.queue().runStarting(delivery, mode == Admission.Mode.RUN_ALONE),
            RedisRetry.STEP_ATTEMPTS)
        : Future.succeededFuture();
    return ready.compose(started -> uncommitted.run(
            () -> scope.retry().retry(() -> runAndCommit(delivery, 1), RedisRetry.STEP_ATTEMPTS)))
        .onSuccess(calls -> {
          calls.forEach(send);
          if (recorded) {
            parking.forgetRuns(delivery);
          }
        })
        .recover(error -> {
          if (scope.lease().lost()) {
            return Future.succeededFuture(List.of());  // said once when the lease was lost
          }
          if (delivery.isHeld()) {
            return storeHeld(delivery, error.getMessage());
          }
          LOG.log(System.Logger.Level.ERROR, "worker {0}: task {1} (flow {2}, context {3}) left pending, to be"
                  + " claimed again after worker.claimIdleMs: {4}",
              scope.workerId(), task.taskId(), task.flow(), task.contextId(), error.getMessage());
          return Future.succeededFuture(List.of());
        });
  }

  private Future<List<Call>> runAndCommit(Delivery delivery, int run) {
    Task task = delivery.task();
    if (run == 1 && task.caller() != Caller.TIMER) {
      scope.metrics().queueLag(scope.workerId(), Duration.ofMillis(System.currentTimeMillis() - task.enqueuedAt()));
    }
    Snapshot cached = run == 1 && !disabledFlows.contains(task.flow()) ? snapshots.get(task.contextId()) : null;
    Future<Snapshot> ready = cached != null ? Future.succeededFuture(cached) : scope.queue().load(task);
    return ready.compose(snapshot -> {
      if (snapshot.flowDisabled() != null) {
        return parkDisabled(delivery, snapshot.flowDisabled());
      }
      disabledFlows.remove(task.flow());
      return runFlow(delivery, snapshot).compose(prepared -> commit(prepared, run));
    });
  }

  /** Runs the flow on a script thread, which also encodes the run's commit: the event loop only sends it. */
  private Future<PreparedCommit> runFlow(Delivery delivery, Snapshot snapshot) {
    return scripts.executeBlocking(() -> prepare(delivery, snapshot, engine.run(delivery.task(), snapshot.values())),
        false);
  }

  /** Encodes the run's commit; a run whose effects cannot be encoded commits as failed, with its log lines. */
  private PreparedCommit prepare(Delivery delivery, Snapshot snapshot, RunResult result) {
    try {
      return scope.queue().prepare(delivery, snapshot, result);
    } catch (RuntimeException | StackOverflowError unstorable) {
      return scope.queue().prepare(delivery, snapshot, result.unstorable(unstorable));
    }
  }

  private Future<List<Call>> commit(PreparedCommit prepared, int run) {
    Delivery delivery = prepared.delivery();
    Task task = delivery.task();
    if (scope.lease().lost()) {
      return scope.lease().refused();
    }
    return commits.send(prepared).onSuccess(commit -> {
      if (prepared.forwards() && commit.outcome() != Commit.Outcome.CONFLICT) {
        forwarded.accept(commit.forwarded());
      }
    }).compose(commit -> switch (commit.outcome()) {
      case CONFLICT -> {
        snapshots.remove(task.contextId());
        yield run < MAX_CONFLICT_RERUNS ? runAndCommit(delivery, run + 1) : Future.failedFuture(conflict(delivery));
      }
      case FLOW_DISABLED -> parkDisabled(delivery, commit.flowDisabled());
      case DUPLICATE -> duplicate(prepared);
      case COMMITTED -> committed(prepared, commit);
    });
  }

  /**
   * Committed before: by an earlier try of ours whose answer was lost, or by another consumer.
   * Either way its calls that are still unanswered must go (the same keys: Stripe acts once).
   */
  private Future<List<Call>> duplicate(PreparedCommit prepared) {
    RunResult result = prepared.result();
    snapshots.remove(prepared.delivery().task().contextId());
    logRun(prepared.delivery().task(), result);
    return result.ok() ? scope.queue().unanswered(scope.workerId(), result.effects().calls())
        : Future.succeededFuture(List.of());
  }

  private Future<List<Call>> committed(PreparedCommit prepared, Commit commit) {
    Task task = prepared.delivery().task();
    RunResult result = prepared.result();
    logRun(task, result);
    scope.metrics().runFinished(task.flow(), result.status().code(), Duration.ofNanos(result.durationMicros() * 1_000));
    if (!result.ok()) {
      return Future.succeededFuture(List.of());
    }
    snapshots.put(task.contextId(), new Snapshot(commit.version(), prepared.valuesAfter()));
    return Future.succeededFuture(result.effects().calls());
  }

  private Future<List<Call>> parkDisabled(Delivery delivery, String why) {
    noteDisabled(delivery.task().flow(), why);
    if (delivery.isHeld()) {
      return storeHeld(delivery, "its flow is disabled");  // the stored entry is parked when it is read
    }
    return parking.park(delivery, Admission.ParkReason.FLOW_DISABLED, why).map(List.<Call>of());
  }

  /**
   * An answer held in memory whose run cannot commit it (it is to be parked, or its commit failed for
   * good) is stored as a task on the stream, as reply.lua stores any answer, and goes the stream's way
   * from there. If even that fails, its call is still in the outbox: the next holder re-sends it.
   */
  private Future<List<Call>> storeHeld(Delivery delivery, String why) {
    Task task = delivery.task();
    LOG.log(System.Logger.Level.WARNING, "worker {0}: answer to call {1} (flow {2}, context {3}) not committed by"
        + " its run ({4}); storing it as a task on the stream", scope.workerId(), delivery.answer().call().callId(),
        task.flow(), task.contextId(), why);
    return store.apply(delivery.answer()).<List<Call>>map(List.of()).recover(error -> {
      LOG.log(System.Logger.Level.WARNING, "worker {0}: answer to call {1} not stored either ({2}); the call stays"
          + " in the outbox and is re-sent with its idempotency key by the worker id''s next holder", scope.workerId(),
          delivery.answer().call().callId(), error.getMessage());
      return Future.succeededFuture(List.of());
    });
  }

  private FlowpayFailure conflict(Delivery delivery) {
    return new FlowpayFailure(FlowpayFailure.Kind.CONTEXT_CONFLICT, "context " + delivery.task().contextId()
        + " changed under every one of " + MAX_CONFLICT_RERUNS + " runs; is another process serving worker "
        + scope.workerId() + "?");
  }

  /** Remembers a disabled flow; the first time this worker sees it disabled, says so once (flow and last error). */
  private void noteDisabled(String flow, String why) {
    if (disabledFlows.add(flow)) {
      LOG.log(System.Logger.Level.WARNING, "worker {0}: {1}", scope.workerId(), why);
    }
  }

  private void logRun(Task task, RunResult result) {
    System.Logger.Level level = result.ok() ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING;
    LOG.log(level, "worker {0}: {1} {2} context={3} task={4} {5}us{6}", scope.workerId(), result.status().code(),
        task.flow(), task.contextId(), task.taskId(), result.durationMicros(),
        result.error() == null ? "" : " " + result.error());
  }
}
