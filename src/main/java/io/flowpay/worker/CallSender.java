package io.flowpay.worker;

import io.flowpay.config.StripeOptions;
import io.flowpay.flow.Call;
import io.flowpay.queue.ReconcilingCalls;
import io.flowpay.queue.Replied;
import io.flowpay.queue.Answer;
import io.flowpay.queue.Delivery;
import io.flowpay.stripe.StripeClient;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.Predicate;

/**
 * Sends committed calls to Stripe. The answer to a call that a run of this process committed goes
 * straight to its context's lane, held in memory ({@link Delivery#held}): its response run's commit
 * takes the call out of the outbox, and until then the outbox entry is what makes the answer
 * recoverable (a new holder re-sends the call with its idempotency key and Stripe replays the answer).
 * Every other answer (a call re-sent from the outbox, a lane with no room, a worker draining) is
 * stored as a task on the worker's own stream (group-committed with other answers; the same round
 * trip brings new tasks to the reader). An answer whose outcome is unknown goes to the
 * {@link Reconciler}, which this sender owns. Storing is retried while Redis is away, for as long as
 * the worker runs: an outage delays an answer, never drops it. Used from the worker's event loop only.
 */
final class CallSender {

  private static final System.Logger LOG = System.getLogger(CallSender.class.getName());
  /** Group commit: answers at most in one request to Redis, and such requests at once. */
  private static final int ITEMS_PER_REQUEST = 32;
  private static final int REQUESTS_IN_FLIGHT = 2;

  private final WorkerScope scope;
  private final StripeClient stripe;
  private final Batcher<Answer, Boolean> replies;
  private final Reconciler reconciler;
  private final Runnable idle;
  private TaskReader reader;
  private Predicate<Delivery> lanes = delivery -> false;
  private int inFlight;

  /** @param idle told each time a call is done with (the worker may be draining) */
  CallSender(WorkerScope scope, ReconcilingCalls reconciling, StripeClient stripe, StripeOptions stripeOptions,
      Runnable idle) {
    this.scope = scope;
    this.stripe = stripe;
    this.idle = idle;
    this.replies = new Batcher<>(this::storeAnswers, ITEMS_PER_REQUEST, REQUESTS_IN_FLIGHT);
    this.reconciler = new Reconciler(scope.vertx(), scope.workerId(), reconciling, stripe, stripeOptions, this::store,
        scope.metrics());
  }

  /** The reader that takes the tasks riding back on stored answers (set once, before the first send). */
  void readInto(TaskReader reader) {
    this.reader = reader;
  }

  /** Where answers held in memory go: true when the worker took one into its context's lane. */
  void holdInto(Predicate<Delivery> lanes) {
    this.lanes = lanes;
  }

  Reconciler reconciler() {
    return reconciler;
  }

  /** Calls sent and not yet answered and stored. */
  int inFlight() {
    return inFlight;
  }

  /**
   * Sends a call from the outbox that an earlier holder (or an earlier life of this process) committed;
   * its answer is stored as a task on this worker's stream, or goes to the reconciler. Stored, not held:
   * a response run that kills its process then counts as a delivery of that entry, so a poison answer
   * is parked instead of crash-looping through re-sends.
   */
  void send(Call call) {
    send(call, false);
  }

  /** Sends a call a run of this process just committed; its answer goes straight to its lane when it may. */
  void sendCommitted(Call call) {
    send(call, true);
  }

  private void send(Call call, boolean committedHere) {
    inFlight++;
    stripe.send(call)
        .compose(answer -> ReconcilePlan.needed(call, answer)
            ? scope.retry().retry(() -> reconciler.hold(call, answer), RedisRetry.FOREVER)
            : answer(Replies.of(call, answer), committedHere))
        .onFailure(error -> LOG.log(scope.lease().lost() ? System.Logger.Level.INFO : System.Logger.Level.ERROR,
            "worker {0}: answer to call {1} not stored ({2}); the call stays in the outbox and is re-sent"
                + " with the same idempotency key by the worker id's next holder (this process after a restart,"
                + " or the process that takes its lease)", scope.workerId(), call.callId(), error.getMessage()))
        .onComplete(done -> {
          inFlight--;
          idle.run();
        });
  }

  private Future<Boolean> answer(Answer answer, boolean committedHere) {
    return committedHere && lanes.test(Delivery.held(answer)) ? Future.succeededFuture(true) : store(answer);
  }

  /**
   * Stores an answer for its flow, retried while Redis is away (for as long as the worker runs). False
   * when its call was answered before (stored, or committed by the run of the same answer held in memory).
   */
  Future<Boolean> store(Answer answer) {
    return scope.retry().retry(() -> replies.send(answer), RedisRetry.FOREVER);
  }

  /**
   * Stores a batch of answers; the same round trip brings new tasks (these answers among them), so
   * a busy worker seldom waits on its blocking read.
   */
  private Future<List<Boolean>> storeAnswers(List<Answer> answers) {
    if (scope.lease().lost()) {
      return scope.lease().refused();
    }
    int count = reader.reserve();
    Future<Replied> stored;
    try {
      stored = scope.queue().reply(answers, count);
    } catch (RuntimeException | StackOverflowError unexpected) {
      stored = Future.failedFuture(unexpected);
    }
    return stored
        .onComplete(done -> reader.release(count))
        .map(replied -> {
          reader.accept(replied.read());
          return replied.enqueued();
        });
  }
}
