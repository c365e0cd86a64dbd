package io.flowpay.worker;

import io.flowpay.config.StripeOptions;
import io.flowpay.flow.Call;
import io.flowpay.queue.ReconcilingCalls;
import io.flowpay.queue.Replied;
import io.flowpay.queue.Answer;
import io.flowpay.stripe.StripeClient;
import io.vertx.core.Future;
import java.util.List;

/**
 * Sends committed calls to Stripe and stores each answer as a task on the worker's own stream
 * (group-committed with other answers; the same round trip brings new tasks to the reader). An
 * answer whose outcome is unknown goes to the {@link Reconciler}, which this sender owns. Storing is
 * retried while Redis is away, for as long as the worker runs: an outage delays an answer, never
 * drops it. Used from the worker's event loop only.
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

  Reconciler reconciler() {
    return reconciler;
  }

  /** Calls sent and not yet answered and stored. */
  int inFlight() {
    return inFlight;
  }

  /** Sends a committed call; its answer becomes a task on this worker's stream, or goes to the reconciler. */
  void send(Call call) {
    inFlight++;
    stripe.send(call)
        .compose(answer -> ReconcilePlan.needed(call, answer)
            ? scope.retry().retry(() -> reconciler.hold(call, answer), RedisRetry.FOREVER)
            : store(Replies.of(call, answer)))
        .onFailure(error -> LOG.log(scope.lease().lost() ? System.Logger.Level.INFO : System.Logger.Level.ERROR,
            "worker {0}: answer to call {1} not stored ({2}); the call stays in the outbox and is re-sent"
                + " with the same idempotency key by the worker id's next holder (this process after a restart,"
                + " or the process that takes its lease)", scope.workerId(), call.callId(), error.getMessage()))
        .onComplete(done -> {
          inFlight--;
          idle.run();
        });
  }

  /** Stores an answer for its flow, retried while Redis is away (for as long as the worker runs). */
  private Future<Boolean> store(Answer answer) {
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
