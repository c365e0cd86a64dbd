package io.flowpay.failure;

/**
 * A chain that was followed ({@code run --follow}, {@code chain --follow}, {@code GET} with a wait) did not settle
 * within the time given. It goes on in the service: this only says the wait ended. The command line exits 1.
 */
public final class ChainTimeoutFailure extends FlowpayFailure {

  private final String chainId;
  private final long pending;

  /** @param pending tasks and calls of the chain not done yet when the wait ended */
  public ChainTimeoutFailure(String chainId, long pending) {
    super(Kind.CHAIN_TIMEOUT, "chain " + chainId + " is not settled yet (" + pending
        + " task(s) or call(s) pending); it goes on in the service");
    this.chainId = chainId;
    this.pending = pending;
  }

  public String chainId() {
    return chainId;
  }

  public long pending() {
    return pending;
  }
}
