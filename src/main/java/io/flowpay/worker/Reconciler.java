package io.flowpay.worker;

import io.flowpay.config.StripeOptions;
import io.flowpay.flow.Call;
import io.flowpay.metrics.FlowMetrics;
import io.flowpay.queue.ReconcileState;
import io.flowpay.queue.ReconcilingCalls;
import io.flowpay.queue.ReconcilingCalls.Due;
import io.flowpay.queue.Answer;
import io.flowpay.stripe.StripeAnswer;
import io.flowpay.stripe.StripeClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;
import java.util.function.DoubleSupplier;
import java.util.function.Function;

/**
 * Finds out what became of a worker's calls whose outcome at Stripe is unknown (no answer, an
 * ambiguous 5xx), instead of reporting them to flows as failures. Each is kept in Redis with its
 * state and next attempt time ({@link ReconcilingCalls}), so restarts go on where they stopped;
 * each attempt re-sends the call with its idempotency key or reads what it did
 * ({@link ReconcilePlan}). A definite answer runs the call's response or error flow, once, with
 * {@code request.reconciled} set; when the window ({@code stripe.reconcileWindowMs}) is spent the
 * error flow runs with {@code outcome_unknown: true} and the call is listed for an operator.
 *
 * <p>Runs on its worker verticle's event loop: the fields need no locks.
 */
final class Reconciler {

  private static final System.Logger LOG = System.getLogger(Reconciler.class.getName());
  private static final int PER_PUMP = 32;

  private final Vertx vertx;
  private final String workerId;
  private final ReconcilingCalls calls;
  private final StripeClient stripe;
  private final StripeOptions options;
  private final Function<Answer, Future<?>> store;
  private final FlowMetrics metrics;
  private final DoubleSupplier random;
  /** Calls with an attempt under way in this process. */
  private final Set<String> trying = new HashSet<>();
  private boolean pumping;
  private boolean stopped;
  private long timer = -1;

  /** @param store stores an answer for its flow (the worker's own path, retried while Redis is away) */
  Reconciler(Vertx vertx, String workerId, ReconcilingCalls calls, StripeClient stripe, StripeOptions options,
      Function<Answer, Future<?>> store, FlowMetrics metrics) {
    this.vertx = vertx;
    this.workerId = workerId;
    this.calls = calls;
    this.stripe = stripe;
    this.options = options;
    this.store = store;
    this.metrics = metrics;
    this.random = Math::random;
  }

  void start(long pollMs) {
    timer = vertx.setPeriodic(pollMs, id -> pump());
  }

  void stop() {
    stopped = true;
    vertx.cancelTimer(timer);
  }

  /** Attempts under way (a stop waits for none: their state is in Redis). */
  int attempting() {
    return trying.size();
  }

  /** {@code call} got an answer whose outcome is unknown: keeps it, durably, for reconciling. */
  Future<Boolean> hold(Call call, StripeAnswer unknown) {
    long now = System.currentTimeMillis();
    ReconcileState state = new ReconcileState(now, 0, unknown.httpStatus(), message(unknown), unknown.replayed());
    LOG.log(System.Logger.Level.WARNING, "worker {0}: call {1} ({2} {3}, flow {4}, context {5}): outcome at Stripe"
            + " unknown ({6}); reconciling it (same idempotency key, or a look-up) for up to {7} min before its"
            + " error flow runs", workerId, call.callId(), call.method(), call.path(), call.origin().flow(),
        call.origin().contextId(), state.lastError(), options.reconcileWindowMs() / 60_000);
    metrics.reconcile(workerId, "held");
    return calls.hold(call, state, now + delayMs(0));
  }

  private void pump() {
    if (pumping || stopped) {
      return;
    }
    pumping = true;
    calls.due(workerId, System.currentTimeMillis(), PER_PUMP)
        .onComplete(done -> pumping = false)
        .onSuccess(due -> due.forEach(this::attempt))
        .onFailure(error -> LOG.log(System.Logger.Level.DEBUG, "worker {0}: reconcile pump: {1}", workerId,
            error.getMessage()));
  }

  /** Refreshes the reconciling and unresolved gauges (the worker calls this on its gauge timer, not every pump). */
  void refreshGauges() {
    calls.counts(workerId).onSuccess(counts -> metrics.reconciling(workerId, counts[0], counts[1]));
  }

  private void attempt(Due due) {
    Call call = due.call();
    if (!trying.add(call.callId())) {
      return;
    }
    ReconcilePlan.Probe probe = ReconcilePlan.next(call, due.state());
    Call sent = probe == ReconcilePlan.Probe.READ ? ReconcilePlan.readFor(call) : call;
    stripe.send(sent)
        .compose(answer -> settle(due, probe, answer))
        .onFailure(error -> LOG.log(System.Logger.Level.WARNING, "worker {0}: reconcile attempt for call {1} not"
            + " recorded ({2}); it is tried again", workerId, call.callId(), error.getMessage()))
        .onComplete(done -> trying.remove(call.callId()));
  }

  private Future<?> settle(Due due, ReconcilePlan.Probe probe, StripeAnswer answer) {
    Call call = due.call();
    ReconcilePlan.Verdict verdict = ReconcilePlan.judge(probe, call, answer);
    if (verdict.definite()) {
      LOG.log(System.Logger.Level.INFO, "worker {0}: call {1} reconciled after {2} attempt(s): {3} ({4})", workerId,
          call.callId(), due.state().attempts() + 1, verdict.success() ? "succeeded" : "failed", verdict.how());
      metrics.reconcile(workerId, verdict.how());
      return store.apply(Replies.reconciled(call, verdict));
    }
    ReconcileState next = probe == ReconcilePlan.Probe.RESEND
        ? due.state().next(answer.httpStatus(), message(answer), answer.replayed()) : due.state().looked();
    long now = System.currentTimeMillis();
    if (now - next.since() >= options.reconcileWindowMs()) {
      return giveUp(call, next);
    }
    return calls.hold(call, next, now + delayMs(next.attempts()));
  }

  /** The window is spent: the error flow runs with the last unknown answer, and an operator is told. */
  private Future<?> giveUp(Call call, ReconcileState state) {
    LOG.log(System.Logger.Level.ERROR, "worker {0}: call {1} ({2} {3}, flow {4}, context {5}): outcome at Stripe still"
            + " unknown after {6} attempt(s) over stripe.reconcileWindowMs; its error flow {7} runs with"
            + " outcome_unknown, and the call is listed by ''flowpay calls'': check it in Stripe's dashboard"
            + " (idempotency key {8})", workerId, call.callId(), call.method(), call.path(), call.origin().flow(),
        call.origin().contextId(), state.attempts(), call.onError(), call.idempotencyKey());
    metrics.reconcile(workerId, "window_spent");
    JsonObject envelope = state.envelope();
    JsonObject record = state.toJson().put("method", call.method()).put("path", call.path())
        .put("idempotency_key", call.idempotencyKey()).put("flow", call.origin().flow())
        .put("context_id", call.origin().contextId()).put("chain_id", call.origin().chainId())
        .put("given_up_at", System.currentTimeMillis());
    return store.apply(Replies.unresolved(call, envelope, record.encode()));
  }

  /** From {@code stripe.reconcileDelayMs}, doubled per attempt, capped, with jitter in [50%, 100%]. */
  long delayMs(int attempts) {
    double base = Math.min((double) options.maxReconcileDelayMs(),
        options.reconcileDelayMs() * Math.pow(2, Math.min(attempts, 30)));
    return Math.max(1, Math.round(base * (0.5 + random.getAsDouble() / 2)));
  }

  private static String message(StripeAnswer answer) {
    JsonObject error = answer.error();
    String text = error == null ? "unreadable answer" : error.getString("message", error.getString("type", "?"));
    return (answer.httpStatus() == null ? "no answer" : "HTTP " + answer.httpStatus()) + ": " + text;
  }
}
