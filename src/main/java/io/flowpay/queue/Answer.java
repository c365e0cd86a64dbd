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

  /** A plain answer; fails (throws) when the task cannot be encoded. */
  public static Answer of(Call call, Task task) {
    return new Answer(call, task, task.encode(), "");
  }
}
