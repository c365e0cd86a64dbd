package io.flowpay.stripe;

import io.flowpay.flow.Call;
import io.vertx.core.Future;

/**
 * Sends one {@link Call} to Stripe. The seam between flows and the network: the worker sends
 * committed calls through it, a retry policy can wrap it, tests can stand in for it.
 */
public interface StripeClient {

  /**
   * Sends the call once. The future never fails: every outcome, including a refused connection or
   * a timeout, is a {@link StripeAnswer}.
   */
  Future<StripeAnswer> send(Call call);

  /** The account this client's key belongs to (for the fleet's rate budget), or null when it has no key. */
  default StripeAccount account() {
    return null;
  }
}
