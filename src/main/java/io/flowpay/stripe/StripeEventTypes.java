package io.flowpay.stripe;

import com.stripe.param.WebhookEndpointCreateParams;
import java.util.Arrays;
import java.util.List;

/**
 * The event types Stripe sends to webhook endpoints ({@code payment_intent.succeeded}, ...), as
 * stripe-java knows them: the values of its {@code enabled_events} param of a webhook endpoint
 * ({@link WebhookEndpointCreateParams.EnabledEvent}), without the wildcard {@code *}.
 */
public final class StripeEventTypes {

  private static final List<String> ALL = Arrays.stream(WebhookEndpointCreateParams.EnabledEvent.values())
      .map(WebhookEndpointCreateParams.EnabledEvent::getValue)
      .filter(type -> !type.equals("*"))
      .sorted()
      .toList();

  private StripeEventTypes() {}

  /** Every event type, sorted. */
  public static List<String> all() {
    return ALL;
  }

  /** The flow an event of {@code type} runs: {@code on_payment_intent_succeeded} for {@code payment_intent.succeeded}. */
  public static String flowOf(String type) {
    return "on_" + type.replace('.', '_');
  }
}
