package io.flowpay.standin;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Payment intents as Stripe's test mode runs them: created, confirmed with a test payment method
 * ({@code pm_card_visa} succeeds, {@code pm_card_chargeDeclined} is declined), captured, canceled.
 */
final class PaymentIntents {

  /** Stripe's test payment methods that are declined: pm → {code, decline_code, message}. */
  private static final Map<String, String[]> DECLINES = Map.of(
      "pm_card_chargeDeclined", new String[] {"card_declined", "generic_decline", "Your card was declined."},
      "pm_card_chargeDeclinedInsufficientFunds",
          new String[] {"card_declined", "insufficient_funds", "Your card has insufficient funds."},
      "pm_card_chargeDeclinedExpiredCard", new String[] {"expired_card", "expired_card", "Your card has expired."});
  private static final Set<String> CAPTURABLE = Set.of("requires_capture");
  private static final Set<String> CONFIRMABLE = Set.of("requires_payment_method", "requires_confirmation", "requires_action");
  private static final Set<String> CANCELABLE = Set.of("requires_payment_method", "requires_confirmation",
      "requires_action", "requires_capture", "processing");

  private final ObjectStore objects;

  PaymentIntents(ObjectStore objects) {
    this.objects = objects;
  }

  StripeReply create(JsonObject form) {
    StripeReply invalid = ObjectStore.requireAmount(form, "amount");
    if (invalid == null && form.getString("currency") == null) {
      invalid = StripeReply.missingParam("currency");
    }
    if (invalid != null) {
      return invalid;
    }
    JsonObject intent = newIntent(form);
    objects.put(intent);
    return "true".equals(form.getString("confirm")) ? confirm(intent.getString("id"), new JsonObject()) : StripeReply.ok(intent);
  }

  StripeReply retrieve(String id) {
    JsonObject intent = objects.get(id, "pi_");
    return intent == null ? StripeReply.noSuch("payment_intent", id, "intent") : StripeReply.ok(intent.copy());
  }

  StripeReply confirm(String id, JsonObject form) {
    return inState(id, CONFIRMABLE, "confirm", intent -> confirmIntent(intent, form));
  }

  private StripeReply confirmIntent(JsonObject intent, JsonObject form) {
    String paymentMethod = form.getString("payment_method", intent.getString("payment_method"));
    if (paymentMethod == null) {
      return StripeReply.invalid(400, "parameter_missing", "You cannot confirm this PaymentIntent because it's"
          + " missing a payment method. Pass payment_method, e.g. pm_card_visa.", "payment_method");
    }
    intent.put("latest_charge", objects.newId("ch_"));
    String[] decline = DECLINES.get(paymentMethod);
    return decline == null ? succeed(intent, paymentMethod) : decline(intent, paymentMethod, decline);
  }

  StripeReply capture(String id, JsonObject form) {
    return inState(id, CAPTURABLE, "capture", intent -> captureIntent(intent, form));
  }

  private static StripeReply captureIntent(JsonObject intent, JsonObject form) {
    StripeReply invalid = form.containsKey("amount_to_capture")
        ? ObjectStore.requireAmount(form, "amount_to_capture") : null;
    if (invalid != null) {
      return invalid;
    }
    long amount = Long.parseLong(form.getString("amount_to_capture", intent.getLong("amount").toString()));
    intent.put("status", "succeeded").put("amount_received", amount).put("amount_capturable", 0);
    return StripeReply.ok(intent.copy());
  }

  StripeReply cancel(String id, JsonObject form) {
    return inState(id, CANCELABLE, "cancel", intent -> cancelIntent(intent, form));
  }

  private static StripeReply cancelIntent(JsonObject intent, JsonObject form) {
    intent.put("status", "canceled").put("canceled_at", ObjectStore.now())
        .put("cancellation_reason", form.getString("cancellation_reason")).put("amount_capturable", 0);
    return StripeReply.ok(intent.copy());
  }

  private JsonObject newIntent(JsonObject form) {
    JsonObject intent = objects.fresh("payment_intent", "pi_");
    String id = intent.getString("id");
    for (String field : new String[] {"canceled_at", "cancellation_reason", "last_payment_error", "latest_charge",
        "next_action", "processing", "transfer_data", "shipping", "payment_method_configuration_details"}) {
      intent.putNull(field);
    }
    return intent.put("client_secret", id + "_secret_" + objects.newId("").substring(0, 20))
        .put("amount", Long.parseLong(form.getString("amount"))).put("amount_received", 0).put("amount_capturable", 0)
        .put("currency", form.getString("currency").toLowerCase())
        .put("customer", form.getString("customer")).put("description", form.getString("description"))
        .put("receipt_email", form.getString("receipt_email"))
        .put("metadata", form.getJsonObject("metadata", new JsonObject()))
        .put("capture_method", form.getString("capture_method", "automatic"))
        .put("payment_method", form.getString("payment_method"))
        .put("status", form.getString("payment_method") == null ? "requires_payment_method" : "requires_confirmation");
  }

  private StripeReply succeed(JsonObject intent, String paymentMethod) {
    boolean manual = "manual".equals(intent.getString("capture_method"));
    long amount = intent.getLong("amount");
    intent.put("payment_method", paymentMethodId(paymentMethod)).put("last_payment_error", null)
        .put("status", manual ? "requires_capture" : "succeeded")
        .put("amount_capturable", manual ? amount : 0).put("amount_received", manual ? 0 : amount);
    return StripeReply.ok(intent.copy());
  }

  /** Stripe's 402: the envelope carries the intent as it now is, back in {@code requires_payment_method}. */
  private StripeReply decline(JsonObject intent, String paymentMethod, String[] decline) {
    JsonObject method = new JsonObject().put("id", paymentMethodId(paymentMethod)).put("object", "payment_method")
        .put("type", "card");
    JsonObject error = new JsonObject().put("charge", intent.getString("latest_charge")).put("code", decline[0])
        .put("decline_code", decline[1]).put("doc_url", "https://stripe.com/docs/error-codes/" + decline[0].replace('_', '-'))
        .put("message", decline[2]).put("payment_method", method).put("type", "card_error");
    intent.put("status", "requires_payment_method").put("payment_method", null)
        .put("last_payment_error", error.copy());
    return new StripeReply(402, StripeReply.envelope(error.put("payment_intent", intent.copy())), true);
  }

  private String paymentMethodId(String paymentMethod) {
    return paymentMethod.startsWith("pm_card_") ? objects.newId("pm_") : paymentMethod;
  }

  /** Runs {@code action} on the intent if it exists and its status allows it; Stripe's 404 or 400 otherwise. */
  private StripeReply inState(String id, Set<String> allowed, String action, Function<JsonObject, StripeReply> then) {
    JsonObject intent = objects.get(id, "pi_");
    if (intent == null) {
      return StripeReply.noSuch("payment_intent", id, "intent");
    }
    return allowed.contains(intent.getString("status")) ? then.apply(intent) : unexpectedState(intent, action);
  }

  private static StripeReply unexpectedState(JsonObject intent, String action) {
    StripeReply reply = StripeReply.invalid(400, "payment_intent_unexpected_state", "You cannot " + action
        + " this PaymentIntent because it has a status of " + intent.getString("status") + ".", null);
    reply.body().getJsonObject("error").put("payment_intent", intent.copy());
    return reply;
  }
}
