package io.flowpay.queue;

import io.flowpay.flow.Call;
import io.flowpay.flow.Task;

/**
 * Stripe's answer to a call, as the task that runs the call's response or error flow, encoded.
 *
 * @param text the task as stored (encoded by whoever built the answer, so that a value that cannot be
 *     encoded fails there, not in the batch it would be stored with)
 * @param ending {@code ""} for a plain answer, {@code "r"} for one that ends the call's reconciliation,
 *     or the JSON record of a call whose outcome stayed unknown (listed for an operator)
 */
public record Answer(Call call, Task task, String text, String ending) {

  /** The task as stored; encoded again when this is an answer held in memory ({@link #held}), which keeps none. */
  @Override
  public String text() {
    return text != null ? text : task.encode();
  }

  /**
   * This answer without its encoded text, to be held in memory until its run commits: the task holds Stripe's
   * answer already, and a second copy per answer filled a tenth of the heap at 10,000 in flight (README). The text
   * was made once, so the task is known to encode; it is made again only if the answer must be stored after all.
   */
  public Answer held() {
    return new Answer(call, task, null, ending);
  }

  /** A plain answer; fails (throws) when the task cannot be encoded. */
  public static Answer of(Call call, Task task) {
    return new Answer(call, task, task.encode(), "");
  }
}
