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

  /**
   * This run failed after all, because its effects cannot be stored (a value too deep or too large
   * for JSON, say): it keeps its log lines and commits nothing else.
   */
  public RunResult unstorable(Throwable why) {
    Effects logsOnly = new Effects();
    effects.logs().forEach(line -> logsOnly.log(line.level(), line.message()));
    String reason = why.getClass().getSimpleName() + (why.getMessage() == null ? ""
        : ": " + why.getMessage().lines().findFirst().orElse(""));
    return new RunResult(RunStatus.FAILED, logsOnly, new RunError("effects_unstorable", "the run's effects cannot be"
        + " stored (" + reason + "): look for a value the flow passes out (ctx.set, a call's params or carry, a"
        + " dispatch's input) that is nested too deep or too large", null, 0), startedAt, durationMicros);
  }
}
