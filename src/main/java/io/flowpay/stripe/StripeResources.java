package io.flowpay.stripe;

import com.stripe.param.CustomerCreateParams;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.RefundCreateParams;
import com.stripe.param.SubscriptionCreateParams;
import io.vertx.core.json.JsonObject;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Stripe API surface flows can call as {@code stripe.<resource>.<verb>(...)}, named as in
 * Stripe's own JavaScript library: for each verb its HTTP method, path (as in stripe-java's
 * services) and default response/error flow names; and the fluent builders
 * ({@code stripe.newPaymentIntent()...create()}). Scripts get the table through
 * {@link #toScriptTable()}; the README's table lists the same rows.
 */
public final class StripeResources {

  /**
   * One callable verb.
   *
   * @param resource as scripts name it, e.g. {@code paymentIntents}, {@code checkout.sessions}
   * @param verb as scripts name it, e.g. {@code create}, {@code del}, {@code finalizeInvoice}
   * @param pathTemplate e.g. {@code /v1/payment_intents/{id}/confirm}
   * @param objectName Stripe's singular snake_case name, e.g. {@code payment_intent}
   * @param action the verb as flow names say it: {@code delete} for {@code del}, {@code finalize}
   *     for {@code finalizeInvoice}
   * @param routingMetadata whether the call creates an object that keeps {@code metadata}, so that
   *     Flowpay adds {@code flowpay_worker}/{@code flowpay_context} to it by default
   */
  public record Endpoint(String resource, String verb, String method, String pathTemplate, String objectName,
      String action, boolean routingMetadata) {

    public boolean needsId() {
      return pathTemplate.contains("{id}");
    }

    public String path(String id) {
      return needsId() ? pathTemplate.replace("{id}", encodeSegment(id)) : pathTemplate;
    }

    /** {@code new_create_payment_intent_response} / {@code new_create_payment_intent_error}. */
    public String defaultFlow(boolean success) {
      return "new_" + action + "_" + objectName.replace('.', '_') + (success ? "_response" : "_error");
    }

    /** {@code stripe.paymentIntents.create}. */
    public String display() {
      return "stripe." + resource + "." + verb;
    }
  }

  /**
   * A fluent builder for one create call: {@code stripe.newPaymentIntent().amount(2000).create()}.
   *
   * @param name the function on {@code stripe}, e.g. {@code newPaymentIntent}
   * @param params the create params Stripe knows (snake_case, from stripe-java's params class);
   *     each is a setter in camelCase
   */
  public record Builder(String name, Endpoint endpoint, List<String> params) {}

  private final Map<String, Map<String, Endpoint>> byResource;
  private final Map<String, Builder> builders;

  private StripeResources(List<Endpoint> endpoints, List<Builder> builders) {
    Map<String, Map<String, Endpoint>> table = new LinkedHashMap<>();
    for (Endpoint endpoint : endpoints) {
      table.computeIfAbsent(endpoint.resource(), r -> new LinkedHashMap<>()).put(endpoint.verb(), endpoint);
    }
    this.byResource = table;
    Map<String, Builder> named = new LinkedHashMap<>();
    builders.forEach(builder -> named.put(builder.name(), builder));
    this.builders = named;
  }

  /** The resources and verbs Flowpay knows. */
  public static StripeResources standard() {
    Rows rows = new Rows();
    rows.add("paymentIntents", "/v1/payment_intents", "payment_intent", true,
        "create", "retrieve", "update", "confirm", "capture", "cancel", "incrementAuthorization", "list", "search");
    rows.add("setupIntents", "/v1/setup_intents", "setup_intent", true,
        "create", "retrieve", "update", "confirm", "cancel", "list");
    rows.add("paymentMethods", "/v1/payment_methods", "payment_method", true,
        "create", "retrieve", "update", "attach", "detach", "list");
    rows.add("customers", "/v1/customers", "customer", true, "create", "retrieve", "update", "del", "list", "search");
    rows.add("customerSessions", "/v1/customer_sessions", "customer_session", false, "create");
    rows.add("products", "/v1/products", "product", true, "create", "retrieve", "update", "del", "list", "search");
    rows.add("prices", "/v1/prices", "price", true, "create", "retrieve", "update", "list", "search");
    rows.add("coupons", "/v1/coupons", "coupon", true, "create", "retrieve", "update", "del", "list");
    rows.add("promotionCodes", "/v1/promotion_codes", "promotion_code", true, "create", "retrieve", "update", "list");
    rows.add("taxRates", "/v1/tax_rates", "tax_rate", true, "create", "retrieve", "update", "list");
    rows.add("subscriptions", "/v1/subscriptions", "subscription", true,
        "create", "retrieve", "update", "resume", "list", "search");
    rows.special("subscriptions", "cancel", "DELETE", "/{id}", "cancel");
    rows.add("subscriptionItems", "/v1/subscription_items", "subscription_item", true,
        "create", "retrieve", "update", "del", "list");
    rows.add("subscriptionSchedules", "/v1/subscription_schedules", "subscription_schedule", true,
        "create", "retrieve", "update", "cancel", "release", "list");
    rows.add("invoices", "/v1/invoices", "invoice", true,
        "create", "retrieve", "update", "del", "pay", "markUncollectible", "list", "search");
    rows.special("invoices", "finalizeInvoice", "POST", "/{id}/finalize", "finalize");
    rows.special("invoices", "voidInvoice", "POST", "/{id}/void", "void");
    rows.special("invoices", "sendInvoice", "POST", "/{id}/send", "send");
    rows.special("invoices", "createPreview", "POST", "/create_preview", "create_preview");
    rows.add("invoiceItems", "/v1/invoiceitems", "invoiceitem", true, "create", "retrieve", "update", "del", "list");
    rows.add("creditNotes", "/v1/credit_notes", "credit_note", true, "create", "retrieve", "update", "list");
    rows.special("creditNotes", "voidCreditNote", "POST", "/{id}/void", "void");
    rows.special("creditNotes", "preview", "GET", "/preview", "preview");
    rows.add("refunds", "/v1/refunds", "refund", true, "create", "retrieve", "update", "cancel", "list");
    rows.add("charges", "/v1/charges", "charge", false, "retrieve", "list", "search");
    rows.add("disputes", "/v1/disputes", "dispute", false, "retrieve", "update", "close", "list");
    rows.add("checkout.sessions", "/v1/checkout/sessions", "checkout.session", true,
        "create", "retrieve", "expire", "list");
    rows.special("checkout.sessions", "listLineItems", "GET", "/{id}/line_items", "list_line_items");
    rows.add("paymentLinks", "/v1/payment_links", "payment_link", true, "create", "retrieve", "update", "list");
    rows.special("paymentLinks", "listLineItems", "GET", "/{id}/line_items", "list_line_items");
    rows.add("billingPortal.sessions", "/v1/billing_portal/sessions", "billing_portal.session", false, "create");
    rows.add("billing.meterEvents", "/v1/billing/meter_events", "billing.meter_event", false, "create");
    rows.add("accounts", "/v1/accounts", "account", true, "create", "retrieve", "update", "del", "list");
    rows.add("accountLinks", "/v1/account_links", "account_link", false, "create");
    rows.add("transfers", "/v1/transfers", "transfer", true, "create", "retrieve", "update", "list");
    rows.add("events", "/v1/events", "event", false, "retrieve", "list");
    rows.builder("newPaymentIntent", "paymentIntents", PaymentIntentCreateParams.class);
    rows.builder("newCustomer", "customers", CustomerCreateParams.class);
    rows.builder("newRefund", "refunds", RefundCreateParams.class);
    rows.builder("newSubscription", "subscriptions", SubscriptionCreateParams.class);
    rows.builder("newCheckoutSession", "checkout.sessions", com.stripe.param.checkout.SessionCreateParams.class);
    return new StripeResources(rows.endpoints, rows.builders);
  }

  public Optional<Endpoint> find(String resource, String verb) {
    Map<String, Endpoint> verbs = byResource.get(resource);
    return Optional.ofNullable(verbs == null ? null : verbs.get(verb));
  }

  /** Whether {@code stripe.<resource>} exists, e.g. {@code checkout.sessions}. */
  public boolean hasResource(String resource) {
    return byResource.containsKey(resource);
  }

  /** The verbs of a resource, in table order; empty for an unknown one. */
  public List<String> verbs(String resource) {
    return List.copyOf(byResource.getOrDefault(resource, Map.of()).keySet());
  }

  public List<String> resources() {
    return List.copyOf(byResource.keySet());
  }

  public List<Endpoint> endpoints() {
    return byResource.values().stream().flatMap(verbs -> verbs.values().stream()).toList();
  }

  public Optional<Builder> builder(String name) {
    return Optional.ofNullable(builders.get(name));
  }

  public List<Builder> builders() {
    return List.copyOf(builders.values());
  }

  /**
   * {@code {"paymentIntents": {"create": {"method": "POST", "needsId": false, "builder": "newPaymentIntent",
   * "params": "amount currency ..."}, ...}, ...}}: the params of a builder are one space-separated
   * string, split only when a flow makes a builder (every run parses this table).
   */
  public JsonObject toScriptTable() {
    JsonObject table = new JsonObject();
    for (Endpoint endpoint : endpoints()) {
      JsonObject verbs = table.getJsonObject(endpoint.resource());
      if (verbs == null) {
        verbs = new JsonObject();
        table.put(endpoint.resource(), verbs);
      }
      verbs.put(endpoint.verb(), new JsonObject().put("method", endpoint.method()).put("needsId", endpoint.needsId()));
    }
    for (Builder builder : builders.values()) {
      table.getJsonObject(builder.endpoint().resource()).getJsonObject(builder.endpoint().verb())
          .put("builder", builder.name()).put("params", String.join(" ", builder.params()));
    }
    return table;
  }

  /**
   * The params stripe-java's params class serializes, e.g. {@code amount}, {@code line_items}: the
   * values of its fields' Gson {@code @SerializedName} (read reflectively: Gson is stripe-java's
   * runtime dependency, not ours).
   */
  static List<String> paramNames(Class<?> paramsClass) {
    List<String> names = new ArrayList<>();
    for (Field field : paramsClass.getDeclaredFields()) {
      for (Annotation annotation : field.getAnnotations()) {
        String name = serializedName(annotation);
        if (name != null && name.matches("[a-z][a-z0-9_]*")) {
          names.add(name);
        }
      }
    }
    return List.copyOf(names);
  }

  private static String serializedName(Annotation annotation) {
    if (!annotation.annotationType().getName().equals("com.google.gson.annotations.SerializedName")) {
      return null;
    }
    try {
      return (String) annotation.annotationType().getMethod("value").invoke(annotation);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read the Stripe param names of stripe-java: " + e, e);
    }
  }

  /** The table as {@link #standard()} writes it. */
  private static final class Rows {

    final List<Endpoint> endpoints = new ArrayList<>();
    final List<Builder> builders = new ArrayList<>();
    /** resource → {base path, object name}. */
    private final Map<String, String[]> bases = new LinkedHashMap<>();

    /** CRUD verbs by their usual method and path; any other verb POSTs to {@code <base>/{id}/<verb>}. */
    void add(String resource, String base, String object, boolean metadata, String... verbs) {
      bases.put(resource, new String[] {base, object});
      for (String verb : verbs) {
        endpoints.add(switch (verb) {
          case "create" -> new Endpoint(resource, verb, "POST", base, object, verb, metadata);
          case "retrieve", "list", "search" -> new Endpoint(resource, verb, "GET",
              base + (verb.equals("retrieve") ? "/{id}" : verb.equals("search") ? "/search" : ""), object, verb, false);
          case "update" -> new Endpoint(resource, verb, "POST", base + "/{id}", object, verb, false);
          case "del" -> new Endpoint(resource, verb, "DELETE", base + "/{id}", object, "delete", false);
          default -> new Endpoint(resource, verb, "POST", base + "/{id}/" + toSnake(verb), object, toSnake(verb), false);
        });
      }
    }

    /** A verb whose method or path the CRUD rule does not give, e.g. {@code invoices.finalizeInvoice}. */
    void special(String resource, String verb, String method, String suffix, String action) {
      String[] base = bases.get(resource);
      endpoints.add(new Endpoint(resource, verb, method, base[0] + suffix, base[1], action, false));
    }

    void builder(String name, String resource, Class<?> paramsClass) {
      Endpoint create = endpoints.stream()
          .filter(endpoint -> endpoint.resource().equals(resource) && endpoint.verb().equals("create"))
          .findFirst().orElseThrow();
      builders.add(new Builder(name, create, paramNames(paramsClass)));
    }
  }

  static String toSnake(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
  }

  private static String encodeSegment(String id) {
    return java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
  }
}
