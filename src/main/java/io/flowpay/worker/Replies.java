package io.flowpay.worker;

import io.flowpay.flow.Call;
import io.flowpay.flow.Task;
import io.flowpay.queue.Answer;
import io.flowpay.stripe.StripeAnswer;
import java.util.function.Supplier;

/**
 * Stripe's answers as the tasks that carry them to their response or error flows, encoded. An answer
 * that cannot be encoded (a {@code carry} too deep for JSON, say) becomes an error answer
 * ({@code answer_unstorable}) for the call's error flow: it never holds up the worker.
 */
final class Replies {

  private static final System.Logger LOG = System.getLogger(Replies.class.getName());

  private Replies() {}

  /** Stripe's answer to a call, as it came. */
  static Answer of(Call call, StripeAnswer answer) {
    return safely(call, () -> call.replyTask(answer.success(), answer.body()), answer.body(), "");
  }

  /** A definite answer found by reconciling; ends the call's reconciliation. */
  static Answer reconciled(Call call, ReconcilePlan.Verdict verdict) {
    return safely(call, () -> call.reconciledReplyTask(verdict.success(), verdict.body(), verdict.how()),
        verdict.body(), "r");
  }

  /** The reconcile window is spent: the error flow gets the last unknown answer; {@code record} lists the call. */
  static Answer unresolved(Call call, Object envelope, String record) {
    return safely(call, () -> call.reconciledReplyTask(false, envelope, "window_spent"), envelope, record);
  }

  private static Answer safely(Call call, Supplier<Task> reply, Object body, String ending) {
    try {
      Task task = reply.get();
      return new Answer(call, task, task.encode(), ending);
    } catch (RuntimeException | StackOverflowError unstorable) {
      String why = unstorable.getClass().getSimpleName() + (unstorable.getMessage() == null ? ""
          : ": " + unstorable.getMessage().lines().findFirst().orElse(""));
      LOG.log(System.Logger.Level.WARNING, "call {0} of flow {1} (context {2}): Stripe''s answer cannot be stored"
          + " for its flow ({3}); its error flow {4} runs with answer_unstorable", call.callId(), call.origin().flow(),
          call.origin().contextId(), why, call.onError());
      Task task = call.unstorableReplyTask(body, why);
      return new Answer(call, task, task.encode(), ending);
    }
  }
}
