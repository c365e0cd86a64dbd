package io.flowpay.stripe;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Stripe API surface flows can call as {@code stripe.<resource>.<verb>(...)}: for each verb its
 * HTTP method, path and default response/error flow names. Scripts get the table through
 * {@link #toScriptTable()}; the README's table lists the same rows.
 */
public final class StripeResources {

  /**
   * One callable verb.
   *
   * @param resource as scripts name it, e.g. {@code paymentIntents}, {@code checkout.sessions}
   * @param verb as scripts name it, e.g. {@code create}, {@code del}
   * @param pathTemplate e.g. {@code /v1/payment_intents/{id}/confirm}
   * @param objectName Stripe's singular snake_case name, e.g. {@code payment_intent}
   */
  public record Endpoint(String resource, String verb, String method, String pathTemplate, String objectName) {

    public boolean needsId() {
      return pathTemplate.contains("{id}");
    }

    public String path(String id) {
      return needsId() ? pathTemplate.replace("{id}", encodeSegment(id)) : pathTemplate;
    }

    /** {@code new_create_payment_intent_response} / {@code new_create_payment_intent_error}. */
    public String defaultFlow(boolean success) {
      String word = verb.equals("del") ? "delete" : toSnake(verb);
      return "new_" + word + "_" + objectName.replace('.', '_') + (success ? "_response" : "_error");
    }
  }

  private final Map<String, Map<String, Endpoint>> byResource;

  private StripeResources(List<Endpoint> endpoints) {
    Map<String, Map<String, Endpoint>> table = new LinkedHashMap<>();
    for (Endpoint endpoint : endpoints) {
      table.computeIfAbsent(endpoint.resource(), r -> new LinkedHashMap<>()).put(endpoint.verb(), endpoint);
    }
    this.byResource = table;
  }

  /** The resources and verbs Flowpay knows. */
  public static StripeResources standard() {
    List<Endpoint> endpoints = new ArrayList<>();
    crud(endpoints, "paymentIntents", "/v1/payment_intents", "payment_intent", "create", "retrieve", "update", "list");
    actions(endpoints, "paymentIntents", "/v1/payment_intents", "payment_intent", "confirm", "capture", "cancel");
    crud(endpoints, "customers", "/v1/customers", "customer", "create", "retrieve", "update", "del", "list");
    crud(endpoints, "refunds", "/v1/refunds", "refund", "create", "retrieve");
    return new StripeResources(endpoints);
  }

  public Optional<Endpoint> find(String resource, String verb) {
    Map<String, Endpoint> verbs = byResource.get(resource);
    return Optional.ofNullable(verbs == null ? null : verbs.get(verb));
  }

  public List<Endpoint> endpoints() {
    return byResource.values().stream().flatMap(verbs -> verbs.values().stream()).toList();
  }

  /** {@code {"paymentIntents": {"create": {"method": "POST", "needsId": false}, ...}, ...}} */
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
    return table;
  }

  private static void crud(List<Endpoint> into, String resource, String base, String object, String... verbs) {
    for (String verb : verbs) {
      switch (verb) {
        case "create" -> into.add(new Endpoint(resource, verb, "POST", base, object));
        case "retrieve" -> into.add(new Endpoint(resource, verb, "GET", base + "/{id}", object));
        case "update" -> into.add(new Endpoint(resource, verb, "POST", base + "/{id}", object));
        case "del" -> into.add(new Endpoint(resource, verb, "DELETE", base + "/{id}", object));
        case "list" -> into.add(new Endpoint(resource, verb, "GET", base, object));
        default -> throw new IllegalArgumentException("not a CRUD verb: " + verb);
      }
    }
  }

  /** Verbs that POST to {@code <base>/{id}/<verb>}. */
  private static void actions(List<Endpoint> into, String resource, String base, String object, String... verbs) {
    for (String verb : verbs) {
      into.add(new Endpoint(resource, verb, "POST", base + "/{id}/" + toSnake(verb), object));
    }
  }

  static String toSnake(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
  }

  private static String encodeSegment(String id) {
    return java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
  }
}
