package io.flowpay.http;

import java.util.Locale;

/**
 * What became of one Stripe webhook delivery: the {@code outcome} of the answer to Stripe and the tag of
 * {@code flowpay_webhook_events_total{type,outcome}} ({@link #wire()}: the name in lower case).
 */
enum WebhookOutcome {
  /** The event's flow was started as a new chain. */
  STARTED,
  /** The event was taken before (Stripe delivers again): nothing new happens. */
  DUPLICATE,
  /** No flow runs for it: recorded in {@link StripeEvents#UNHANDLED}. */
  UNHANDLED,
  /** Its signature did not verify: refused with 400. */
  REJECTED;

  String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
