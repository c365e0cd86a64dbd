package io.flowpay.flow;

/**
 * The outcome of running one flow script once.
 *
 * @param effects what the flow decided; on failure only its log lines are kept, nothing else is committed
 * @param error null when the run succeeded
 */
public record RunResult(RunStatus status, Effects effects, RunError error, long startedAt, long durationMicros) {

  public boolean ok() {
    return status == RunStatus.OK;
  }
}
