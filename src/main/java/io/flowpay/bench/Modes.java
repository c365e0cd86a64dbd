package io.flowpay.bench;

import java.util.List;

/** The benchmark's modes, by the names the command line and the table use. */
final class Modes {

  static final String FLOWPAY = "flowpay";
  static final String FLOOR = "floor";
  static final String CEILING = "ceiling";
  static final String STRIPE_JAVA = "stripe-java";
  static final List<String> ALL = List.of(FLOWPAY, FLOOR, CEILING, STRIPE_JAVA);

  private Modes() {}

  /**
   * Connections to the stand-in for Flowpay, the floor and the ceiling: Flowpay's default, or one per operation
   * in flight when there are more (as stripe-java has one thread, and connection, per operation),
   * so that a slow stand-in limits every mode alike.
   */
  static int connections(int maxInFlight) {
    return Math.max(io.flowpay.config.StripeOptions.DEFAULT_MAX_CONNECTIONS, maxInFlight);
  }

  /**
   * Sets up {@code mode} against the given Redis and stand-in.
   *
   * @param reuseGlobals the floor and the ceiling evaluate flows in one global per script thread, not a fresh one
   */
  static Load create(String mode, String redisUrl, String stripeBase, int maxInFlight, boolean reuseGlobals) {
    return switch (mode) {
      case FLOWPAY -> new FlowpayLoad(redisUrl, stripeBase, maxInFlight);
      case FLOOR -> new FloorLoad(redisUrl, stripeBase, maxInFlight, reuseGlobals);
      case CEILING -> new CeilingLoad(redisUrl, stripeBase, maxInFlight, reuseGlobals);
      case STRIPE_JAVA -> new StripeJavaLoad(stripeBase);
      default -> throw new IllegalArgumentException("unknown mode " + mode + " (known: " + String.join(", ", ALL) + ")");
    };
  }
}
