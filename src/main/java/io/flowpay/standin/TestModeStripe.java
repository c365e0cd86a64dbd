package io.flowpay.standin;

import io.flowpay.stripe.StripeForm;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of Stripe the stand-in answers: payment intents (created, confirmed with a test card,
 * captured, canceled, refunded) and customers with Stripe's test-mode rules, and every other
 * resource flows can call through {@link GenericResources}; anything else gets Stripe's 404. Not
 * thread-safe: {@link StripeProtocol} lets one request in at a time.
 */
final class TestModeStripe {

  private static final Pattern INTENT =
      Pattern.compile("/v1/payment_intents/(?!search$)([^/]+)(?:/(confirm|capture|cancel))?");

  private final ObjectStore objects;
  private final PaymentIntents intents;
  private final GenericResources resources;
  /** Amount refunded so far, by payment intent id. */
  private final Map<String, Long> refunded = new HashMap<>();

  TestModeStripe(StripeFixtures fixtures) {
    this.objects = new ObjectStore(fixtures);
    this.intents = new PaymentIntents(objects);
    this.resources = new GenericResources(objects, fixtures);
  }

  /** {@code req_} and 14 characters, like Stripe's. */
  String newRequestId() {
    return objects.newId("req_").substring(0, 18);
  }

  int objectCount() {
    return objects.count();
  }

  /**
   * @param form the POST body, or the query string of a GET/DELETE, as {@link StripeForm#decode} reads it
   */
  StripeReply answer(String method, String path, JsonObject form) {
    StripeReply special = withTestModeRules(method, path, form);
    if (special != null) {
      return special;
    }
    StripeReply generic = resources.answer(method, path, form);
    return generic != null ? generic : StripeReply.unrecognized(method, path);
  }

  /** Null when the request is not one of the intent, customer and refund calls with their own rules. */
  private StripeReply withTestModeRules(String method, String path, JsonObject form) {
    Matcher intent = INTENT.matcher(path);
    String route = method + " " + path;
    if (route.equals("POST /v1/payment_intents")) {
      return intents.create(form);
    }
    if (intent.matches() && (intent.group(2) != null || method.equals("GET"))) {
      return intentAction(method, intent.group(1), intent.group(2), form);
    }
    if (route.equals("POST /v1/customers")) {
      return createCustomer(form);
    }
    return route.equals("POST /v1/refunds") ? createRefund(form) : null;
  }

  private StripeReply intentAction(String method, String id, String action, JsonObject form) {
    if (action == null) {
      return method.equals("GET") ? intents.retrieve(id) : StripeReply.unrecognized(method, "/v1/payment_intents/" + id);
    }
    if (!method.equals("POST")) {
      return StripeReply.unrecognized(method, "/v1/payment_intents/" + id + "/" + action);
    }
    return switch (action) {
      case "confirm" -> intents.confirm(id, form);
      case "capture" -> intents.capture(id, form);
      default -> intents.cancel(id, form);
    };
  }

  private StripeReply createCustomer(JsonObject form) {
    JsonObject customer = objects.fresh("customer", "cus_").putNull("discount").put("balance", 0);
    for (String field : new String[] {"email", "name", "description", "phone"}) {
      customer.put(field, form.getString(field));
    }
    customer.put("metadata", form.getJsonObject("metadata", new JsonObject()));
    objects.put(customer);
    return StripeReply.ok(customer.copy());
  }

  private StripeReply createRefund(JsonObject form) {
    String intentId = form.getString("payment_intent");
    JsonObject intent = intentId == null ? null : objects.get(intentId, "pi_");
    StripeReply invalid = refundable(intentId, intent, form);
    if (invalid != null) {
      return invalid;
    }
    long amount = form.containsKey("amount") ? Long.parseLong(form.getString("amount")) : unrefunded(intent);
    return refund(intent, amount, form);
  }

  /** Null when the refund can be made; otherwise Stripe's 4xx. */
  private StripeReply refundable(String intentId, JsonObject intent, JsonObject form) {
    if (intentId == null) {
      return StripeReply.missingParam("payment_intent");
    }
    if (intent == null) {
      return StripeReply.noSuch("payment_intent", intentId, "payment_intent");
    }
    if (!"succeeded".equals(intent.getString("status"))) {
      return StripeReply.invalid(400, "charge_not_refundable",
          "This PaymentIntent does not have a successful charge to refund.", "payment_intent");
    }
    StripeReply invalid = form.containsKey("amount") ? ObjectStore.requireAmount(form, "amount") : null;
    if (invalid == null && form.containsKey("amount") && Long.parseLong(form.getString("amount")) > unrefunded(intent)) {
      return StripeReply.invalid(400, "amount_too_large", "Refund amount (" + form.getString("amount")
          + ") is greater than unrefunded amount on charge (" + unrefunded(intent) + ")", "amount");
    }
    return invalid;
  }

  private long unrefunded(JsonObject intent) {
    return intent.getLong("amount_received") - refunded.getOrDefault(intent.getString("id"), 0L);
  }

  private StripeReply refund(JsonObject intent, long amount, JsonObject form) {
    JsonObject refund = objects.fresh("refund", "re_").put("amount", amount)
        .put("charge", intent.getString("latest_charge")).put("payment_intent", intent.getString("id"))
        .put("currency", intent.getString("currency")).put("reason", form.getString("reason"))
        .put("metadata", form.getJsonObject("metadata", new JsonObject())).put("status", "succeeded")
        .putNull("balance_transaction");
    refunded.merge(intent.getString("id"), amount, Long::sum);
    objects.put(refund);
    return StripeReply.ok(refund.copy());
  }
}
