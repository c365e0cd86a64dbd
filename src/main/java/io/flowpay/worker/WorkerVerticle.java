package io.flowpay.worker;

import io.flowpay.config.StripeOptions;
import io.flowpay.config.WorkerOptions;
import io.flowpay.metrics.FlowMetrics;
import io.flowpay.queue.Answer;
import io.flowpay.queue.Delivery;
import io.flowpay.queue.ReconcilingCalls;
import io.flowpay.queue.RedisTaskQueue;
import io.flowpay.script.FlowEngine;
import io.flowpay.stripe.StripeClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.redis.client.Redis;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

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
 *
 * <p>This verticle only wires its units and drains them on stop: {@link TaskReader} (read),
 * {@link Reclaimer} (claim, outbox re-send), {@link TimerPump} (due timers), {@link Admission} (run or
 * park), {@link RunGate} and {@link ContextLanes} (order), {@link TaskRunner} (run, commit, re-run),
 * {@link CallSender} (send, store answers, {@link Reconciler}) and {@link Parking} (dead letters).
 *
 * <p>It runs while its process holds the worker id's lease ({@link WorkerPool}); every write it does
 * is fenced by the lease. When it learns the lease is lost ({@link LeaseGuard}: a write refused as
 * fenced, or the pool could not renew it) it stops serving at once: no more reads, no run commits, no
 * call sent for work not committed; the new holder claims and runs that work.
 */
public final class WorkerVerticle extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(WorkerVerticle.class.getName());
  /** How often gauges read from Redis (backlog, reconciling calls; stuck chains per process) are refreshed. */
  static final long GAUGES_MS = 5_000;

  private final Parts parts;
  /** Stream entries this worker holds (read or claimed, not yet committed or parked). */
  private final Set<String> held = new HashSet<>();
  /** Answers held in memory (in a lane, not yet committed), by their name in {@link #held}. */
  private final Map<String, Answer> heldAnswers = new LinkedHashMap<>();
  private ContextLanes lanes;
  private RunGate gate;
  private Parking parking;
  private TaskRunner runner;
  private TaskReader reader;
  private CallSender sender;
  private Reclaimer reclaimer;
  private TimerPump timers;
  private ForwardPump forwards;
  private long gaugesTimer = -1;
  private Promise<Void> drained;
  private final LeaseGuard lease;
  private Consumer<String> onLeaseLost = why -> { };

  /**
   * @param readClient a client of its own: its one connection is held by blocking reads
   * @param scripts the executor flow scripts run on
   */
  public WorkerVerticle(String workerId, WorkerOptions options, StripeOptions stripeOptions, RedisTaskQueue queue,
      ReconcilingCalls reconciling, Redis readClient, FlowEngine engine, StripeClient stripe, WorkerExecutor scripts,
      FlowMetrics metrics) {
    this.parts = new Parts(workerId, options, stripeOptions, queue, reconciling, readClient, engine, stripe, scripts,
        metrics);
    this.lease = new LeaseGuard(workerId);
    lease.onLost(this::leaseLost);
  }

  /** What this worker is made of; wired into its units on start (they need the verticle's Vert.x). */
  private record Parts(String workerId, WorkerOptions options, StripeOptions stripeOptions, RedisTaskQueue queue,
      ReconcilingCalls reconciling, Redis readClient, FlowEngine engine, StripeClient stripe, WorkerExecutor scripts,
      FlowMetrics metrics) {}

  @Override
  public Future<?> start() {
    wire();
    return parts.queue().ensureGroup(parts.workerId())
        .compose(ready -> reclaimer.recover())
        .compose(claimed -> reader.connect())
        .onSuccess(connected -> {
          reclaimer.start();
          timers.start(parts.options().timerPollMs());
          forwards.start(parts.options().timerPollMs());
          sender.reconciler().start(parts.options().timerPollMs());
          gaugesTimer = vertx.setPeriodic(GAUGES_MS, id -> refreshGauges());
          reader.readMore();
        });
  }

  private void wire() {
    RedisRetry retry = new RedisRetry(vertx, () -> drained != null && drained.future().isComplete(), lease);
    WorkerScope scope = new WorkerScope(vertx, parts.workerId(), parts.options(), parts.queue(), retry, lease,
        parts.metrics());
    lanes = new ContextLanes(this::run, this::finished);
    gate = new RunGate(lanes);
    parking = new Parking(scope);
    sender = new CallSender(scope, parts.reconciling(), parts.stripe(), parts.stripeOptions(), this::drainedIfIdle);
    forwards = new ForwardPump(scope);
    runner = new TaskRunner(scope, parts.engine(), parts.scripts(), parking, sender::sendCommitted, sender::store,
        forwards::written);
    reader = new TaskReader(scope, parts.readClient(), lanes, gate, this::admit);
    sender.readInto(reader);
    sender.holdInto(this::hold);
    reclaimer = new Reclaimer(scope, held, this::admit, sender::send);
    timers = new TimerPump(scope);
  }

  /**
   * Stops reading, lets running scripts finish and commit, and waits for calls in flight to be
   * answered and their answers stored, up to {@code shutdownGraceMs}. What does not finish stays
   * pending (tasks) or in the outbox (calls) for the next start; answers still held in memory then are
   * stored as tasks first (up to another {@code shutdownGraceMs}), so that the lease is given up only
   * once they are committed or stored (if storing fails too, their calls are still in the outbox).
   */
  @Override
  public Future<?> stop() {
    reader.stop();
    reclaimer.stop();
    timers.stop();
    sender.reconciler().stop();
    vertx.cancelTimer(gaugesTimer);
    drained = Promise.promise();
    if (lease.lost()) {
      drained.tryComplete();
    }
    drainedIfIdle();
    long timer = vertx.setTimer(Math.max(1, parts.options().shutdownGraceMs()), id -> {
      if (!drained.future().isComplete()) {
        LOG.log(System.Logger.Level.WARNING, "worker {0}: stopping with {1} task(s) and {2} call(s) unfinished;"
            + " they stay pending / in the outbox for the next start", parts.workerId(), lanes.held(),
            sender.inFlight());
      }
      storeHeldThenDrained();
    });
    return drained.future()
        .onComplete(done -> vertx.cancelTimer(timer))
        .eventually(forwards::finish)
        .eventually(reader::close);
  }

  private void storeHeldThenDrained() {
    if (heldAnswers.isEmpty() || lease.lost()) {
      drained.tryComplete();
      return;
    }
    List<Future<Boolean>> stored = new ArrayList<>();
    new ArrayList<>(heldAnswers.values()).forEach(answer -> stored.add(sender.store(answer)));
    long timer = vertx.setTimer(Math.max(1, parts.options().shutdownGraceMs()), id -> drained.tryComplete());
    Future.join(stored).onComplete(done -> {
      vertx.cancelTimer(timer);
      drained.tryComplete();
    });
  }

  /** Tells this worker who to tell when it finds its lease lost (its pool). */
  void onLeaseLost(Consumer<String> listener) {
    onLeaseLost = listener;
  }

  /** The pool found the lease lost (from any thread): this worker stops serving at once. */
  void loseLease(String why) {
    context.runOnContext(now -> lease.lose(why));
  }

  /**
   * The lease is lost (another process serves the worker id now, or it could not be renewed in time):
   * stops at once. Reading stops, held tasks are dropped uncommitted (they stay pending for the new
   * holder), calls of uncommitted runs are never sent. Runs on this worker's event loop, once.
   */
  private void leaseLost(String why) {
    LOG.log(System.Logger.Level.WARNING, "worker {0}: lost its lease ({1}); stopped serving it at once: {2} task(s)"
        + " dropped uncommitted and {3} call(s) in flight left to the new holder, which claims and re-sends them",
        parts.workerId(), why, lanes.held(), sender.inFlight());
    reader.stop();
    reclaimer.stop();
    timers.stop();
    sender.reconciler().stop();
    vertx.cancelTimer(gaugesTimer);
    reader.close();  // a blocked read would take entries that the new holder should get
    if (drained != null) {
      drained.tryComplete();
    }
    onLeaseLost.accept(why);
  }

  private void drainedIfIdle() {
    if (drained != null && lanes.held() == 0 && sender.inFlight() == 0) {
      drained.tryComplete();
    }
  }

  /**
   * Runs a delivery in its context's lane, or parks it when it must not run (see {@link Admission}).
   * A delivery that must run alone waits, and everything admitted after it waits behind it (order per
   * context), until no other run of this worker is under way; reading pauses meanwhile.
   */
  private void admit(Delivery delivery) {
    Admission.Decision decision = Admission.decide(delivery, parts.options());
    if (decision.mode() == Admission.Mode.PARK) {
      parking.park(delivery, decision.reason(), decision.error());
      return;
    }
    held.add(delivery.entryId());
    if (decision.mode() == Admission.Mode.RUN_ALONE) {
      LOG.log(System.Logger.Level.WARNING, "worker {0}: task {1} (flow {2}, context {3}): an earlier run of it died"
          + " with its process; running it alone", parts.workerId(), delivery.task().taskId(), delivery.task().flow(),
          delivery.task().contextId());
    }
    gate.admit(delivery, decision.mode());
  }

  /**
   * Takes Stripe's answer to a call into its context's lane, held in memory, when the worker may: it
   * holds its lease, is not draining, has room ({@code maxInFlight}) and would run it (not park it).
   * Otherwise the sender stores it (reply.lua), which keeps memory bounded.
   */
  private boolean hold(Delivery answer) {
    boolean room = lanes.held() + gate.waiting() < parts.options().maxInFlight();
    if (lease.lost() || drained != null || !room
        || Admission.decide(answer, parts.options()).mode() != Admission.Mode.RUN) {
      return false;
    }
    held.add(answer.entryId());
    heldAnswers.put(answer.entryId(), answer.answer());
    gate.admit(answer, Admission.Mode.RUN);
    return true;
  }

  /** A delivery's turn in its lane: it runs as it was admitted, and is no longer held once done with. */
  private Future<?> run(Delivery delivery) {
    return runner.process(delivery, gate.modeOf(delivery)).onComplete(done -> {
      held.remove(delivery.entryId());
      heldAnswers.remove(delivery.entryId());
    });
  }

  private void finished() {
    gate.finished();
    drainedIfIdle();
    reader.readMore();
  }

  /** Gauges read from Redis: this worker's backlog, and its reconciling and unresolved calls. */
  private void refreshGauges() {
    parts.queue().backlog(parts.workerId()).onSuccess(backlog -> parts.metrics().workerQueue(parts.workerId(),
        backlog.length(), backlog.oldestAgeMs()));
    sender.reconciler().refreshGauges();
  }
}
