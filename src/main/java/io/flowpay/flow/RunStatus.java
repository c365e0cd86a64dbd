package io.flowpay.flow;

/** How a run ended, as run records and the CLI show it. */
public enum RunStatus {
  OK("ok"),
  FAILED("failed"),
  TIMED_OUT("timed_out"),
  DEAD("dead");

  private final String code;

  RunStatus(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  public static RunStatus of(String code) {
    for (RunStatus status : values()) {
      if (status.code.equals(code)) {
        return status;
      }
    }
    throw new IllegalArgumentException("unknown run status '" + code + "'");
  }
}
