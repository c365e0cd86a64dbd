package io.flowpay.worker;

import io.flowpay.config.StripeOptions;
import io.flowpay.config.WorkerOptions;
import io.flowpay.failure.FlowpayFailure;
import io.flowpay.flow.Call;
import io.flowpay.flow.RunResult;
import io.flowpay.flow.Task;
import io.flowpay.metrics.FlowMetrics;
import io.flowpay.queue.Commit;
import io.flowpay.queue.Delivery;
import io.flowpay.queue.ReconcilingCalls;
import io.flowpay.queue.RedisTaskQueue;
import io.flowpay.queue.RedisTaskQueue.Answer;
import io.flowpay.queue.RedisTaskQueue.PreparedCommit;
import io.flowpay.queue.Snapshot;
import io.flowpay.script.FlowEngine;
import io.flowpay.stripe.StripeClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One worker: reads its tasks from its Redis stream, runs each flow on a script thread (never on
 * this event loop), commits the run's effects atomically, and only then sends the run's Stripe
 * calls; each answer goes back to this worker's own stream as a response or error task.
 *
 * <p>Tasks of one context run one at a time, in order; tasks of different contexts in parallel.
 * What a dead process left behind comes back: on start its unacknowledged tasks are claimed and
 * its unanswered calls re-sent with their keys; while running, tasks idle past
 * {@code claimIdleMs} are claimed from consumers that went away. A task delivered too often, too
 * deep in its chain, or of a disabled flow is parked in the dead-letter stream instead of run.
 */
public final class WorkerVerticle extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(WorkerVerticle.class.getName());
  private static final int MAX_CONFLICT_RERUNS = 10;
  private static final int MAX_REDIS_ATTEMPTS = 12;
  private static final long MAX_BACKOFF_MS = 5_000;
  private static final int TIMERS_PER_MOVE = 500;
  /** How often gauges read from Redis (stuck chains, reconciling calls) are refreshed. */
  private static final long GAUGES_MS = 5_000;
  private static final long SNAPSHOT_CACHE_CHARS = 16L << 20;
  /** Group commit: runs (or answers) at most in one request to Redis, and such requests at once. */
  private static final int ITEMS_PER_REQUEST = 32;
  private static final int REQUESTS_IN_FLIGHT = 2;

  private final String workerId;
  private final WorkerOptions options;
  private final RedisTaskQueue queue;
  private final Redis readClient;
  private final FlowEngine engine;
  private final StripeClient stripe;
  private final WorkerExecutor scripts;
  private final FlowMetrics metrics;
  /** Stream entries this worker holds (read or claimed, not yet committed or parked). */
  private final Set<String> held = new HashSet<>();
  /** The state of contexts this worker committed lately: a run starts from it without asking Redis. */
  private final SnapshotCache snapshots = new SnapshotCache(SNAPSHOT_CACHE_CHARS);
  private final Batcher<PreparedCommit, Commit> commits;
  private final Batcher<Answer, Boolean> replies;
  private final ReconcilingCalls reconciling;
  private final StripeOptions stripeOptions;
  private Reconciler reconciler;
  /** Flows this worker saw disabled: their tasks read the flow's state before they run. */
  private final Set<String> disabledFlows = new HashSet<>();
  private ContextLanes lanes;
  private RedisConnection reader;
  private boolean reading;
  /** Tasks asked for by reads on their way (the blocking read, reads riding on stored answers). */
  private int reserved;
  private boolean claiming;
  private RunGate gate;
  private boolean movingTimers;
  private boolean stopping;
  private int callsInFlight;
  private long claimTimer = -1;
  private long timersTimer = -1;
  private long gaugesTimer = -1;
  private Promise<Void> drained;

  /**
   * @param readClient a client of its own: its one connection is held by blocking reads
   * @param scripts the executor flow scripts run on
   */
  public WorkerVerticle(String workerId, WorkerOptions options, StripeOptions stripeOptions, RedisTaskQueue queue,
      ReconcilingCalls reconciling, Redis readClient, FlowEngine engine, StripeClient stripe, WorkerExecutor scripts,
      FlowMetrics metrics) {
    this.workerId = workerId;
    this.options = options;
    this.stripeOptions = stripeOptions;
    this.queue = queue;
    this.reconciling = reconciling;
    this.commits = new Batcher<>(queue::commit, ITEMS_PER_REQUEST, REQUESTS_IN_FLIGHT);
    this.replies = new Batcher<>(this::storeAnswers, ITEMS_PER_REQUEST, REQUESTS_IN_FLIGHT);
    this.readClient = readClient;
    this.engine = engine;
    this.stripe = stripe;
    this.scripts = scripts;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    lanes = new ContextLanes(this::process, this::finished);
    gate = new RunGate(lanes);
    reconciler = new Reconciler(vertx, workerId, reconciling, stripe, stripeOptions, this::store, metrics);
    return queue.ensureGroup(workerId)
        .compose(ready -> queue.outbox(workerId))
        .onSuccess(this::resend)
        .compose(resent -> claim(0, "-"))
        .compose(claimed -> connectReader())
        .onSuccess(connected -> {
          claimTimer = vertx.setPeriodic(Math.max(1_000, options.claimIdleMs() / 2),
              id -> claim(options.claimIdleMs(), "-"));
          timersTimer = vertx.setPeriodic(options.timerPollMs(), id -> moveDueTimers());
          reconciler.start(options.timerPollMs());
          gaugesTimer = vertx.setPeriodic(GAUGES_MS, id -> refreshGauges());
          readMore();
        });
  }

  /**
   * Stops reading, lets running scripts finish and commit, and waits for calls in flight to be
   * answered and their answers stored, up to {@code shutdownGraceMs}. What does not finish stays
   * pending (tasks) or in the outbox (calls) for the next start.
   */
  @Override
  public Future<?> stop() {
    stopping = true;
    reconciler.stop();
    vertx.cancelTimer(claimTimer);
    vertx.cancelTimer(gaugesTimer);
    vertx.cancelTimer(timersTimer);
    drained = Promise.promise();
    drainedIfIdle();
    long timer = vertx.setTimer(Math.max(1, options.shutdownGraceMs()), id -> {
      if (!drained.future().isComplete()) {
        LOG.log(System.Logger.Level.WARNING, "worker {0}: stopping with {1} task(s) and {2} call(s) unfinished;"
            + " they stay pending / in the outbox for the next start", workerId, lanes.held(), callsInFlight);
      }
      drained.tryComplete();
    });
    return drained.future()
        .onComplete(done -> vertx.cancelTimer(timer))
        .eventually(() -> reader == null ? Future.succeededFuture() : reader.close())
        .eventually(readClient::close);
  }

  private void drainedIfIdle() {
    if (drained != null && lanes.held() == 0 && callsInFlight == 0) {
      drained.tryComplete();
    }
  }

  /** Calls committed before a stop or crash and never answered: sent again with the same key. */
  private void resend(List<Call> calls) {
    if (!calls.isEmpty()) {
      LOG.log(System.Logger.Level.INFO, "worker {0}: re-sending {1} unanswered call(s) from the outbox",
          workerId, calls.size());
    }
    calls.forEach(this::send);
  }

  /**
   * Claims this worker's tasks that were handed out at least {@code minIdleMs} ago and never
   * acknowledged (all of them on start: whoever held them is gone), page by page.
   */
  private Future<Void> claim(long minIdleMs, String after) {
    if (claiming && "-".equals(after) || stopping) {
      return Future.succeededFuture();
    }
    claiming = true;
    return queue.claim(workerId, minIdleMs, options.readBatch(), after, held)
        .compose(claimed -> {
          if (!claimed.deliveries().isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "worker {0}: claimed {1} task(s) left unacknowledged", workerId,
                claimed.deliveries().size());
          }
          Admission.fewestDeathsFirst(claimed.deliveries().stream()
              .filter(delivery -> !held.contains(delivery.entryId())).toList()).forEach(this::admit);
          return claimed.next().isEmpty() ? Future.<Void>succeededFuture() : claim(minIdleMs, claimed.next());
        })
        .onComplete(done -> claiming = false)
        .recover(error -> {
          LOG.log(System.Logger.Level.WARNING, "worker {0}: could not claim unacknowledged tasks ({1}); will try again",
              workerId, error.getMessage());
          return Future.succeededFuture();
        });
  }

  private void moveDueTimers() {
    if (movingTimers || stopping) {
      return;
    }
    movingTimers = true;
    queue.moveDueTimers(workerId, TIMERS_PER_MOVE)
        .onComplete(done -> movingTimers = false)
        .onSuccess(moved -> {
          if (moved == TIMERS_PER_MOVE) {
            vertx.runOnContext(more -> moveDueTimers());
          }
        })
        .onFailure(error -> LOG.log(System.Logger.Level.DEBUG, "worker {0}: timers not moved ({1})", workerId,
            error.getMessage()));
  }

  private Future<RedisConnection> connectReader() {
    return readClient.connect().onSuccess(connection -> {
      reader = connection;
      connection.exceptionHandler(error -> readerLost(connection, error));
    });
  }

  private void readMore() {
    if (reading || stopping || reader == null || room() <= 0 || gate.holdsReads()) {
      return;
    }
    reading = true;
    int count = reserve();
    RedisConnection connection = reader;
    queue.read(connection, workerId, count, options.blockMs())
        .onComplete(read -> {
          reading = false;
          reserved -= count;
        })
        .onSuccess(this::accept)
        .onFailure(error -> readFailed(connection, error));
  }

  /** Tasks this worker may still take: {@code maxInFlight} less those it holds and those asked for. */
  private int room() {
    return options.maxInFlight() - lanes.held() - gate.waiting() - reserved;
  }

  /** Asks for up to {@code readBatch} tasks, within the room left; the caller gives them back when read. */
  private int reserve() {
    int count = stopping ? 0 : Math.max(0, Math.min(room(), options.readBatch()));
    reserved += count;
    return count;
  }

  private void accept(List<Delivery> deliveries) {
    if (stopping) {
      // A read that was waiting when the stop came: these stay pending and are claimed on the next start.
      return;
    }
    deliveries.forEach(this::admit);
    readMore();
  }

  /**
   * Stores a batch of answers; the same round trip brings new tasks (these answers among them), so
   * a busy worker seldom waits on its blocking read.
   */
  private Future<List<Boolean>> storeAnswers(List<Answer> answers) {
    int count = reserve();
    Future<RedisTaskQueue.Replied> stored;
    try {
      stored = queue.reply(answers, count);
    } catch (RuntimeException | StackOverflowError unexpected) {
      stored = Future.failedFuture(unexpected);
    }
    return stored
        .onComplete(done -> reserved -= count)
        .map(replied -> {
          accept(replied.read());
          return replied.enqueued();
        });
  }

  /**
   * Runs a delivery in its context's lane, or parks it when it must not run (see {@link Admission}).
   * A delivery that must run alone waits, and everything admitted after it waits behind it (order per
   * context), until no other run of this worker is under way; reading pauses meanwhile.
   */
  private void admit(Delivery delivery) {
    Admission.Decision decision = Admission.decide(delivery, options);
    if (decision.mode() == Admission.Mode.PARK) {
      park(delivery, decision.reason(), decision.error());
      return;
    }
    held.add(delivery.entryId());
    if (decision.mode() == Admission.Mode.RUN_ALONE) {
      LOG.log(System.Logger.Level.WARNING, "worker {0}: task {1} (flow {2}, context {3}): an earlier run of it died"
          + " with its process; running it alone", workerId, delivery.task().taskId(), delivery.task().flow(),
          delivery.task().contextId());
    }
    gate.admit(delivery, decision.mode());
  }

  private Future<Void> park(Delivery delivery, Admission.ParkReason reason, String error) {
    return park(delivery, reason.code(), error);
  }

  private Future<Void> park(Delivery delivery, String reason, String error) {
    LOG.log(System.Logger.Level.ERROR, "worker {0}: entry {1} moved to the dead-letter stream: {2}",
        workerId, delivery.entryId(), error);
    return retry(() -> queue.deadLetter(delivery, reason, error), 1, MAX_REDIS_ATTEMPTS)
        .onSuccess(parked -> {
          if (parked) {
            metrics.deadLetter(workerId, reason);
          }
          if (delivery.runsStarted() > 0) {
            forgetRuns(delivery);
          }
        })
        .<Void>mapEmpty()
        .recover(failed -> {
          LOG.log(System.Logger.Level.ERROR, "worker {0}: entry {1} not parked ({2}); it stays pending",
              workerId, delivery.entryId(), failed.getMessage());
          return Future.succeededFuture();
        });
  }

  /** Gauges read from Redis: stuck chains, this worker's backlog, and its reconciling and unresolved calls. */
  private void refreshGauges() {
    queue.stuckChains().onSuccess(metrics::stuckChains);
    queue.backlog(workerId).onSuccess(backlog -> metrics.workerQueue(workerId, backlog.length(), backlog.oldestAgeMs()));
    reconciler.refreshGauges();
  }

  private void forgetRuns(Delivery delivery) {
    queue.runsDone(delivery).onFailure(error -> LOG.log(System.Logger.Level.DEBUG,
        "worker {0}: runs of entry {1} not forgotten ({2})", workerId, delivery.entryId(), error.getMessage()));
  }

  private void readFailed(RedisConnection connection, Throwable error) {
    if (String.valueOf(error.getMessage()).startsWith("NOGROUP")) {
      LOG.log(System.Logger.Level.WARNING, "worker {0}: its consumer group is gone (Redis lost its data?);"
          + " creating it again", workerId);
      retry(() -> queue.ensureGroup(workerId), 1, Integer.MAX_VALUE).onComplete(again -> readMore());
      return;
    }
    readerLost(connection, error);
  }

  /** The read connection failed: reconnect with back-off for as long as it takes, then read on. */
  private void readerLost(RedisConnection lost, Throwable error) {
    if (stopping || lost != reader) {
      return;
    }
    LOG.log(System.Logger.Level.WARNING, "worker {0}: lost its Redis read connection ({1}); reconnecting",
        workerId, error.getMessage());
    reader = null;
    lost.close();
    retry(this::connectReader, 1, Integer.MAX_VALUE)
        .compose(connected -> queue.ensureGroup(workerId))
        .onSuccess(ready -> readMore());
  }

  private void finished() {
    gate.finished();
    if (stopping) {
      drainedIfIdle();
    }
    readMore();
  }

  /** Runs one task to its commit, then sends its calls. Never fails: the lane moves on. */
  private Future<?> process(Delivery delivery) {
    Task task = delivery.task();
    Admission.Mode mode = gate.modeOf(delivery);
    boolean recorded = mode == Admission.Mode.RUN_RECORDED || mode == Admission.Mode.RUN_ALONE;
    Future<Void> ready = recorded
        ? retry(() -> queue.runStarting(delivery, mode == Admission.Mode.RUN_ALONE), 1, MAX_REDIS_ATTEMPTS)
        : Future.succeededFuture();
    return ready.compose(started -> retry(() -> runAndCommit(delivery, 1), 1, MAX_REDIS_ATTEMPTS))
        .onSuccess(calls -> {
          calls.forEach(this::send);
          if (recorded) {
            forgetRuns(delivery);
          }
        })
        .recover(error -> {
          LOG.log(System.Logger.Level.ERROR, "worker {0}: task {1} (flow {2}, context {3}) left pending, to be"
                  + " claimed again after worker.claimIdleMs: {4}",
              workerId, task.taskId(), task.flow(), task.contextId(), error.getMessage());
          return Future.succeededFuture(List.of());
        })
        .onComplete(done -> held.remove(delivery.entryId()));
  }

  private Future<List<Call>> runAndCommit(Delivery delivery, int run) {
    Task task = delivery.task();
    if (run == 1 && !"timer".equals(task.callerId())) {
      metrics.queueLag(workerId, Duration.ofMillis(System.currentTimeMillis() - task.enqueuedAt()));
    }
    Snapshot cached = run == 1 && !disabledFlows.contains(task.flow()) ? snapshots.get(task.contextId()) : null;
    Future<Snapshot> ready = cached != null ? Future.succeededFuture(cached) : queue.load(task);
    return ready.compose(snapshot -> {
      if (snapshot.flowDisabled() != null) {
        noteDisabled(task.flow(), snapshot.flowDisabled());
        return park(delivery, "flow_disabled", snapshot.flowDisabled()).map(List.<Call>of());
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
      return queue.prepare(delivery, snapshot, result);
    } catch (RuntimeException | StackOverflowError unstorable) {
      return queue.prepare(delivery, snapshot, result.unstorable(unstorable));
    }
  }

  private Future<List<Call>> commit(PreparedCommit prepared, int run) {
    Delivery delivery = prepared.delivery();
    Task task = delivery.task();
    RunResult result = prepared.result();
    return commits.send(prepared).compose(commit -> {
      switch (commit.outcome()) {
        case CONFLICT -> {
          snapshots.remove(task.contextId());
          return run < MAX_CONFLICT_RERUNS ? runAndCommit(delivery, run + 1) : Future.failedFuture(conflict(delivery));
        }
        case FLOW_DISABLED -> {
          noteDisabled(task.flow(), commit.flowDisabled());
          return park(delivery, "flow_disabled", commit.flowDisabled()).map(List.<Call>of());
        }
        case DUPLICATE -> {
          // Committed before: by an earlier try of ours whose answer was lost, or by another consumer.
          // Either way its calls that are still unanswered must go (the same keys: Stripe acts once).
          snapshots.remove(task.contextId());
          logRun(task, result);
          return result.ok() ? queue.unanswered(workerId, result.effects().calls()) : Future.succeededFuture(List.of());
        }
        default -> {
          logRun(task, result);
          metrics.runFinished(task.flow(), result.status().code(), Duration.ofNanos(result.durationMicros() * 1_000));
          if (!result.ok()) {
            return Future.succeededFuture(List.of());
          }
          snapshots.put(task.contextId(), new Snapshot(commit.version(), prepared.valuesAfter()));
          return Future.succeededFuture(result.effects().calls());
        }
      }
    });
  }

  /**
   * Sends a committed call; its answer becomes a task on this worker's stream. Storing the answer
   * is retried while Redis is away (for as long as the worker runs): an outage delays it, never
   * drops it. An answer whose outcome is unknown goes to the {@link Reconciler} instead.
   */
  private void send(Call call) {
    callsInFlight++;
    stripe.send(call)
        .compose(answer -> ReconcilePlan.needed(call, answer)
            ? retry(() -> reconciler.hold(call, answer), 1, Integer.MAX_VALUE)
            : store(Replies.of(call, answer)))
        .onFailure(error -> LOG.log(System.Logger.Level.ERROR,
            "worker {0}: answer to call {1} not stored ({2}); the call stays in the outbox and is re-sent"
                + " with the same idempotency key when the worker restarts", workerId, call.callId(), error.getMessage()))
        .onComplete(done -> {
          callsInFlight--;
          drainedIfIdle();
        });
  }

  /** Stores an answer for its flow, retried while Redis is away (for as long as the worker runs). */
  private Future<Boolean> store(Answer answer) {
    return retry(() -> replies.send(answer), 1, Integer.MAX_VALUE);
  }

  /** Retries a Redis step with exponential back-off while Redis is unreachable or failing. */
  private <T> Future<T> retry(Supplier<Future<T>> step, int attempt, int maxAttempts) {
    return step.get().recover(error -> {
      if (stopping && drained != null && drained.future().isComplete() || attempt >= maxAttempts
          || !isRedisTrouble(error)) {
        return Future.failedFuture(error);
      }
      long delay = Math.min(MAX_BACKOFF_MS, 50L << Math.min(attempt, 16));
      return vertx.timer(delay).compose(waited -> retry(step, attempt + 1, maxAttempts));
    });
  }

  private static boolean isRedisTrouble(Throwable error) {
    return !(error instanceof FlowpayFailure failure) || failure.retryable();
  }

  private FlowpayFailure conflict(Delivery delivery) {
    return new FlowpayFailure(FlowpayFailure.Kind.CONTEXT_CONFLICT, "context " + delivery.task().contextId()
        + " changed under every one of " + MAX_CONFLICT_RERUNS + " runs; is another process serving worker " + workerId + "?");
  }

  /** Remembers a disabled flow; the first time this worker sees it disabled, says so once (flow and last error). */
  private void noteDisabled(String flow, String why) {
    if (disabledFlows.add(flow)) {
      LOG.log(System.Logger.Level.WARNING, "worker {0}: {1}", workerId, why);
    }
  }

  private void logRun(Task task, RunResult result) {
    System.Logger.Level level = result.ok() ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING;
    LOG.log(level, "worker {0}: {1} {2} context={3} task={4} {5}us{6}", workerId, result.status().code(),
        task.flow(), task.contextId(), task.taskId(), result.durationMicros(),
        result.error() == null ? "" : " " + result.error());
  }
}
