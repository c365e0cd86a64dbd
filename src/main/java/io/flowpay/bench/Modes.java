package io.flowpay.bench;

import java.util.List;

/** The benchmark's modes, by the names the command line and the table use. */
final class Modes {

  static final String FLOWPAY = "flowpay";
  static final String CEILING = "ceiling";
  static final String STRIPE_JAVA = "stripe-java";
  static final List<String> ALL = List.of(FLOWPAY, CEILING, STRIPE_JAVA);

  private Modes() {}

  /** Sets up {@code mode} against the given Redis and stand-in. */
  static Load create(String mode, String redisUrl, String stripeBase, int maxInFlight) {
    return switch (mode) {
      case FLOWPAY -> new FlowpayLoad(redisUrl, stripeBase, maxInFlight);
      case CEILING -> new CeilingLoad(redisUrl, stripeBase);
      case STRIPE_JAVA -> new StripeJavaLoad(stripeBase);
      default -> throw new IllegalArgumentException("unknown mode " + mode + " (known: " + String.join(", ", ALL) + ")");
    };
  }
}
