package io.flowpay.queue;

/** What a commit did. */
public enum Commit {
  /** Effects written and the task acknowledged. */
  COMMITTED,
  /** The context changed since the snapshot: nothing written; run the task again on a fresh snapshot. */
  CONFLICT,
  /** The task was already acknowledged by an earlier delivery: nothing written. */
  DUPLICATE
}
