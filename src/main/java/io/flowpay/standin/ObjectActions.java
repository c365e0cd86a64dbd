package io.flowpay.standin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * What the stand-in's actions on one object do ({@code POST /v1/invoices/{id}/finalize},
 * {@code GET /v1/checkout/sessions/{id}/line_items}, ...): mostly a status change, as Stripe's test
 * mode answers them. Line items are Stripe's example line item (the stand-in does not keep a
 * session's or link's nested {@code line_items}).
 */
final class ObjectActions {

  /** {@code "<object> <action>"} → what a POST of the action does to the object. */
  private static final Map<String, BiFunction<JsonObject, JsonObject, StripeReply>> POSTS = Map.ofEntries(
      Map.entry("setup_intent confirm", (object, form) -> status(object, "succeeded")),
      Map.entry("setup_intent cancel", (object, form) -> status(object.put("cancellation_reason",
          form.getString("cancellation_reason")), "canceled")),
      Map.entry("payment_method attach", ObjectActions::attach),
      Map.entry("payment_method detach", (object, form) -> StripeReply.ok(object.putNull("customer").copy())),
      Map.entry("payment_intent increment_authorization", ObjectActions::incrementAuthorization),
      Map.entry("subscription resume", (object, form) -> status(object.putNull("pause_collection"), "active")),
      Map.entry("subscription_schedule cancel", (object, form) -> status(object.put("canceled_at", ObjectStore.now()),
          "canceled")),
      Map.entry("subscription_schedule release", (object, form) -> status(object.put("released_at",
          ObjectStore.now()), "released")),
      Map.entry("invoice finalize", (object, form) -> status(object, "open")),
      Map.entry("invoice pay", (object, form) -> status(object.put("paid", true), "paid")),
      Map.entry("invoice void", (object, form) -> status(object, "void")),
      Map.entry("invoice send", (object, form) -> StripeReply.ok(object.copy())),
      Map.entry("invoice mark_uncollectible", (object, form) -> status(object, "uncollectible")),
      Map.entry("credit_note void", (object, form) -> status(object.put("voided_at", ObjectStore.now()), "void")),
      Map.entry("dispute close", (object, form) -> status(object, "lost")),
      Map.entry("refund cancel", (object, form) -> status(object, "canceled")),
      Map.entry("checkout.session expire", (object, form) -> status(object, "expired")));

  private final StripeFixtures fixtures;

  ObjectActions(StripeFixtures fixtures) {
    this.fixtures = fixtures;
  }

  /** Stripe's answer, or null when the object has no such action. */
  StripeReply act(String method, String objectName, String action, JsonObject object, JsonObject form, String path) {
    if (method.equals("GET") && action.equals("line_items")
        && (objectName.equals("checkout.session") || objectName.equals("payment_link"))) {
      return StripeReply.ok(new JsonObject().put("object", "list").put("data", new JsonArray()
          .add(fixtures.object("item"))).put("has_more", false).put("url", path));
    }
    var then = method.equals("POST") ? POSTS.get(objectName + " " + action) : null;
    return then == null ? null : then.apply(object, form);
  }

  private static StripeReply attach(JsonObject paymentMethod, JsonObject form) {
    String customer = form.getString("customer");
    return customer == null ? StripeReply.missingParam("customer")
        : StripeReply.ok(paymentMethod.put("customer", customer).copy());
  }

  /** Only an authorized, uncaptured intent can be raised, to an amount above its own. */
  private static StripeReply incrementAuthorization(JsonObject intent, JsonObject form) {
    StripeReply invalid = ObjectStore.requireAmount(form, "amount");
    if (invalid != null) {
      return invalid;
    }
    if (!"requires_capture".equals(intent.getString("status"))) {
      return StripeReply.invalid(400, "payment_intent_unexpected_state", "This PaymentIntent's amount could not be"
          + " updated because it has a status of " + intent.getString("status") + ". You may only increment the"
          + " authorization of a PaymentIntent with a status of requires_capture.", null);
    }
    long amount = Long.parseLong(form.getString("amount"));
    if (amount <= intent.getLong("amount", 0L)) {
      return StripeReply.invalid(400, "parameter_invalid_integer", "The amount must be greater than the"
          + " PaymentIntent's current amount (" + intent.getLong("amount") + ").", "amount");
    }
    return StripeReply.ok(intent.put("amount", amount).put("amount_capturable", amount).copy());
  }

  static StripeReply status(JsonObject object, String status) {
    return StripeReply.ok(object.put("status", status).copy());
  }
}
