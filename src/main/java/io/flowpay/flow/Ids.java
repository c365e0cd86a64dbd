package io.flowpay.flow;

import java.util.UUID;

/** Identifiers of tasks, chains and calls, and the idempotency key of a call. */
public final class Ids {

  private Ids() {}

  public static String newId() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  /** The n-th call a task makes: stable across re-runs of the same task. */
  public static String callId(String taskId, int index) {
    return "call_" + taskId + "_" + index;
  }

  /**
   * The idempotency key of the n-th call a task makes. Derived, not random, so that a task run
   * again (redelivery, version conflict) sends the same key and Stripe replays its first answer.
   */
  public static String idempotencyKey(String taskId, int index) {
    return "flowpay-" + taskId + "-" + index;
  }
}
