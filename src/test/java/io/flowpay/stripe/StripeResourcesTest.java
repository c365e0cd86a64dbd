package io.flowpay.stripe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.stripe.StripeResources.Endpoint;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class StripeResourcesTest {

  private final StripeResources resources = StripeResources.standard();

  /** Routing metadata goes exactly where stripe-java's create params have a {@code metadata} param. */
  @Test
  void createsTagMetadataWhereStripeHasIt() throws Exception {
    for (Endpoint endpoint : resources.endpoints()) {
      if (endpoint.verb().equals("create")) {
        List<String> params = StripeResources.paramNames(Class.forName(createParamsClass(endpoint.objectName())));
        assertEquals(params.contains("metadata"), endpoint.routingMetadata(), endpoint.display());
      } else {
        assertFalse(endpoint.routingMetadata(), endpoint.display());
      }
    }
  }

  @Test
  void buildersSetStripeCreateParams() {
    assertEquals(List.of("newPaymentIntent", "newCustomer", "newRefund", "newSubscription", "newCheckoutSession"),
        resources.builders().stream().map(StripeResources.Builder::name).toList());
    List<String> intent = resources.builder("newPaymentIntent").orElseThrow().params();
    assertTrue(intent.containsAll(List.of("amount", "currency", "customer", "metadata", "application_fee_amount",
        "payment_method_types", "expand")), intent.toString());
    assertFalse(intent.stream().anyMatch(name -> name.startsWith("_")), intent.toString());
    assertTrue(resources.builder("newCheckoutSession").orElseThrow().params()
        .containsAll(List.of("line_items", "success_url", "mode")));
    assertEquals("checkout.sessions", resources.builder("newCheckoutSession").orElseThrow().endpoint().resource());
  }

  @Test
  void scriptTableCarriesMethodsIdsAndBuilders() {
    JsonObject table = resources.toScriptTable();
    assertEquals(new JsonObject().put("method", "DELETE").put("needsId", true),
        table.getJsonObject("subscriptions").getJsonObject("cancel"));
    JsonObject create = table.getJsonObject("checkout.sessions").getJsonObject("create");
    assertEquals("newCheckoutSession", create.getString("builder"));
    assertTrue((" " + create.getString("params") + " ").contains(" success_url "), create.getString("params"));
    assertFalse(table.getJsonObject("customers").getJsonObject("search").getBoolean("needsId"));
  }

  @Test
  void idsArePathSegments() {
    Endpoint retrieve = resources.find("customers", "retrieve").orElseThrow();
    assertEquals("/v1/customers/cus%2F1%20x", retrieve.path("cus/1 x"));
    assertEquals("new_delete_customer_error", resources.find("customers", "del").orElseThrow().defaultFlow(false));
  }

  private static String createParamsClass(String objectName) {
    String[] parts = objectName.split("\\.");
    String name = parts[parts.length - 1].equals("invoiceitem") ? "invoice_item" : parts[parts.length - 1];
    String pkg = parts.length > 1 ? "com.stripe.param." + parts[0].replace("_", "") + "." : "com.stripe.param.";
    StringBuilder pascal = new StringBuilder();
    for (String word : name.split("_")) {
      pascal.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
    }
    return pkg + pascal + "CreateParams";
  }
}
