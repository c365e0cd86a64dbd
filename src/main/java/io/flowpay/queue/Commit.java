package io.flowpay.queue;

/**
 * What a commit did.
 *
 * @param version the context's version after the commit ({@link Outcome#COMMITTED} of a run that
 *     succeeded), or the version that made it conflict ({@link Outcome#CONFLICT})
 * @param flowDisabled why the task's flow is disabled ({@link Outcome#FLOW_DISABLED}), else null
 * @param forwarded what it wrote to the worker's forward stream, for its relay ({@link ForwardTail#written})
 */
public record Commit(Outcome outcome, String version, String flowDisabled, Forwarded forwarded) {

  public Commit(Outcome outcome, String version, String flowDisabled) {
    this(outcome, version, flowDisabled, Forwarded.UNKNOWN);
  }

  public enum Outcome {
    /** Effects written and the task acknowledged. */
    COMMITTED,
    /** The context changed since the snapshot: nothing written; run the task again on a fresh snapshot. */
    CONFLICT,
    /** The task was already acknowledged by an earlier delivery: nothing written. */
    DUPLICATE,
    /** The task's flow was disabled (it failed too often in a row): nothing written; park the task. */
    FLOW_DISABLED
  }
}
