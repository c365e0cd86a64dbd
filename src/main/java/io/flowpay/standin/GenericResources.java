package io.flowpay.standin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stand-in's generic Stripe resources: create, retrieve, update, delete, list and search of
 * every resource flows can call, and the few actions that only change a status
 * ({@code invoices/{id}/finalize}, {@code subscriptions/{id}/resume}, ...). A new object is
 * Stripe's example object with a fresh id and the top-level params that object has (numbers,
 * booleans, strings, metadata); nested params such as {@code line_items} are accepted and not kept.
 * Search returns every object of the kind (the query is not evaluated). Not thread-safe (see
 * {@link StripeProtocol}).
 */
final class GenericResources {

  /** One resource: {@code /v1/<base>}, its object name, its id prefix (null: its objects have no id, nothing is kept). */
  private record Kind(String base, String objectName, String idPrefix) {}

  private static final List<Kind> KINDS = List.of(
      new Kind("payment_intents", "payment_intent", "pi_"),
      new Kind("setup_intents", "setup_intent", "seti_"),
      new Kind("payment_methods", "payment_method", "pm_"),
      new Kind("customers", "customer", "cus_"),
      new Kind("products", "product", "prod_"),
      new Kind("prices", "price", "price_"),
      new Kind("coupons", "coupon", ""),
      new Kind("promotion_codes", "promotion_code", "promo_"),
      new Kind("subscriptions", "subscription", "sub_"),
      new Kind("subscription_items", "subscription_item", "si_"),
      new Kind("invoices", "invoice", "in_"),
      new Kind("refunds", "refund", "re_"),
      new Kind("charges", "charge", "ch_"),
      new Kind("checkout/sessions", "checkout.session", "cs_test_"),
      new Kind("billing_portal/sessions", "billing_portal.session", "bps_"),
      new Kind("events", "event", "evt_"),
      new Kind("invoiceitems", "invoiceitem", "ii_"),
      new Kind("subscription_schedules", "subscription_schedule", "sub_sched_"),
      new Kind("credit_notes", "credit_note", "cn_"),
      new Kind("disputes", "dispute", "dp_"),
      new Kind("payment_links", "payment_link", "plink_"),
      new Kind("tax_rates", "tax_rate", "txr_"),
      new Kind("accounts", "account", "acct_"),
      new Kind("transfers", "transfer", "tr_"),
      new Kind("customer_sessions", "customer_session", null),
      new Kind("account_links", "account_link", null),
      new Kind("billing/meter_events", "billing.meter_event", null));

  /** A preview: an object worked out and answered, not kept ({@code "<object> <path segment> <method>"}). */
  private static final java.util.Set<String> PREVIEWS = java.util.Set.of("invoice create_preview POST",
      "credit_note preview GET");

  private static final Pattern PATH = Pattern.compile("/v1/(checkout/sessions|billing_portal/sessions|billing/meter_events|[a-z_]+)"
      + "(?:/([^/]+))?(?:/([a-z_]+))?");

  private final ObjectStore objects;
  private final ObjectActions actions;

  GenericResources(ObjectStore objects, StripeFixtures fixtures) {
    this.objects = objects;
    this.actions = new ObjectActions(fixtures);
  }

  /** Stripe's answer, or null when the path is not one of these resources. */
  StripeReply answer(String method, String path, JsonObject form) {
    Matcher matcher = PATH.matcher(path);
    Kind kind = matcher.matches() ? kind(matcher.group(1)) : null;
    if (kind == null) {
      return null;
    }
    String id = matcher.group(2);
    String action = matcher.group(3);
    if (id == null) {
      return method.equals("POST") ? create(kind, form) : method.equals("GET") ? list(kind, form, false) : null;
    }
    if (id.equals("search") && action == null) {
      return method.equals("GET") ? list(kind, form, true) : null;
    }
    if (action == null && PREVIEWS.contains(kind.objectName() + " " + id + " " + method)) {
      return StripeReply.ok(merge(objects.fresh(kind.objectName(), "upcoming_"), form));
    }
    return onObject(kind, method, id, action, form);
  }

  private StripeReply onObject(Kind kind, String method, String id, String action, JsonObject form) {
    JsonObject object = objects.find(id, kind.objectName());
    if (object == null) {
      return StripeReply.noSuch(kind.objectName(), id, "id");
    }
    String route = method + (action == null ? "" : " " + action);
    return switch (route) {
      case "GET" -> StripeReply.ok(object.copy());
      case "POST" -> StripeReply.ok(merge(object, form).copy());
      case "DELETE" -> kind.objectName().equals("subscription") ? cancelSubscription(object) : delete(object);
      default -> act(kind, object, method, action, form);
    };
  }

  private StripeReply act(Kind kind, JsonObject object, String method, String action, JsonObject form) {
    String path = "/v1/" + kind.base() + "/" + object.getString("id") + "/" + action;
    StripeReply reply = actions.act(method, kind.objectName(), action, object, form, path);
    return reply != null ? reply : StripeReply.unrecognized(method, path);
  }

  private StripeReply create(Kind kind, JsonObject form) {
    if (kind.idPrefix() == null) {
      JsonObject made = objects.example(kind.objectName());
      return StripeReply.ok(merge(made, form));
    }
    JsonObject object = objects.fresh(kind.objectName(), kind.idPrefix());
    if (kind.idPrefix().isEmpty()) {
      object.put("id", form.getString("id", objects.newId("").substring(0, 8)));
    }
    if (object.containsKey("metadata")) {
      object.put("metadata", new JsonObject());
    }
    objects.put(merge(object, form));
    return StripeReply.ok(object.copy());
  }

  private StripeReply list(Kind kind, JsonObject form, boolean search) {
    int limit = form.containsKey("limit") && form.getString("limit").matches("\\d{1,3}")
        ? Integer.parseInt(form.getString("limit")) : 10;
    List<JsonObject> all = objects.all(kind.objectName());
    JsonArray data = new JsonArray();
    all.stream().limit(limit).forEach(object -> data.add(object.copy()));
    String url = "/v1/" + kind.base() + (search ? "/search" : "");
    JsonObject page = new JsonObject().put("object", search ? "search_result" : "list").put("data", data)
        .put("has_more", all.size() > limit).put("url", url);
    return StripeReply.ok(search ? page.putNull("next_page") : page);
  }

  private StripeReply delete(JsonObject object) {
    objects.remove(object.getString("id"));
    return StripeReply.ok(new JsonObject().put("id", object.getString("id"))
        .put("object", object.getString("object")).put("deleted", true));
  }

  private static StripeReply cancelSubscription(JsonObject subscription) {
    return status(subscription.put("canceled_at", ObjectStore.now()).put("ended_at", ObjectStore.now()),
        "canceled");
  }

  private static StripeReply status(JsonObject object, String status) {
    return ObjectActions.status(object, status);
  }

  /**
   * The form's top-level params the object has, typed like the object's own values; metadata is
   * merged key by key and an empty value removes a key, as Stripe does.
   */
  static JsonObject merge(JsonObject object, JsonObject form) {
    for (String key : form.fieldNames()) {
      Object value = form.getValue(key);
      if (key.equals("metadata") && value instanceof JsonObject metadata) {
        mergeMetadata(object, metadata);
      } else if (!key.equals("id") && !key.equals("object") && object.containsKey(key) && value instanceof String text) {
        Object typed = typed(object.getValue(key), text);
        if (typed != SKIP) {
          object.put(key, typed);
        }
      }
    }
    return object;
  }

  private static final Object SKIP = new Object();

  /** {@code text} as the type of {@code current}; {@link #SKIP} when it does not fit (e.g. an object). */
  private static Object typed(Object current, String text) {
    if (current instanceof Number) {
      return text.matches("-?\\d{1,18}") ? (Object) Long.parseLong(text) : SKIP;
    }
    if (current instanceof Boolean) {
      return text.equals("true") || text.equals("false") ? (Object) Boolean.parseBoolean(text) : SKIP;
    }
    if (current == null || current instanceof String) {
      return text.isEmpty() ? null : text;
    }
    return SKIP;
  }

  private static void mergeMetadata(JsonObject object, JsonObject metadata) {
    JsonObject merged = object.getValue("metadata") instanceof JsonObject current ? current : new JsonObject();
    metadata.forEach(entry -> {
      if ("".equals(entry.getValue())) {
        merged.remove(entry.getKey());
      } else {
        merged.put(entry.getKey(), entry.getValue());
      }
    });
    object.put("metadata", merged);
  }

  private static Kind kind(String base) {
    return KINDS.stream().filter(kind -> kind.base().equals(base)).findFirst().orElse(null);
  }
}
