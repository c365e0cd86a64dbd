package io.flowpay.failure;

/**
 * Root of every failure that crosses a {@code Future} in Flowpay.
 *
 * <p>Each failure has a {@link Kind} whose {@link Kind#code()} is stable (logs, run records and
 * the API carry it) and whose {@link Kind#retryable()} tells the retry policy whether trying the
 * same thing again can help; the command line's exit code is a function of the kind. Messages name the
 * thing that is wrong and how to fix it.
 *
 * <p>The family is sealed: a failure is this class with a kind, or, where a kind carries typed details a caller
 * acts on, its own final subclass ({@link ChainTimeoutFailure}: which chain, how much is still pending). A new
 * kind is a new constant here, and every {@code switch} over the kinds (e.g. the exit code) must place it.
 */
public sealed class FlowpayFailure extends RuntimeException permits ChainTimeoutFailure {

  /** What went wrong, as a stable code. */
  public enum Kind {
    CONFIG_INVALID("config_invalid", false),
    FLOW_NOT_FOUND("flow_not_found", false),
    FLOW_INVALID("flow_invalid", false),
    SCRIPT_ERROR("script_error", false),
    SCRIPT_TIMEOUT("timed_out", false),
    BAD_REQUEST("bad_request", false),
    /** A chain followed did not settle within the time given; it goes on ({@link ChainTimeoutFailure}). */
    CHAIN_TIMEOUT("not_settled", true),
    /** No chain of that id in Redis (never started, or expired). */
    CHAIN_NOT_FOUND("chain_not_found", false),
    CONTEXT_CONFLICT("context_conflict", true),
    REDIS_UNAVAILABLE("redis_unavailable", true),
    REDIS_ERROR("redis_error", false);

    private final String code;
    private final boolean retryable;

    Kind(String code, boolean retryable) {
      this.code = code;
      this.retryable = retryable;
    }

    public String code() {
      return code;
    }

    public boolean retryable() {
      return retryable;
    }
  }

  private final Kind kind;

  public FlowpayFailure(Kind kind, String message) {
    this(kind, message, null);
  }

  public FlowpayFailure(Kind kind, String message, Throwable cause) {
    super(message, cause, false, cause != null);
    if (kind == Kind.CHAIN_TIMEOUT && !(this instanceof ChainTimeoutFailure)) {
      throw new IllegalArgumentException("a chain timeout is a ChainTimeoutFailure: it names the chain");
    }
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  public String code() {
    return kind.code();
  }

  public boolean retryable() {
    return kind.retryable();
  }

  @Override
  public String toString() {
    return kind.code() + ": " + getMessage();
  }
}
