package io.flowpay.stripe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class StripeFormTest {

  @Test
  void nestedObjectsUseBracketsLeftUnencoded() {
    JsonObject params = new JsonObject().put("amount", 2000).put("currency", "usd")
        .put("customer", "cus_123").put("metadata", new JsonObject().put("order_id", "o1"));
    assertEquals("amount=2000&currency=usd&customer=cus_123&metadata[order_id]=o1", StripeForm.encode(params));
  }

  @Test
  void arraysAreIndexed() {
    JsonObject params = new JsonObject()
        .put("payment_method_types", new JsonArray().add("card").add("sepa_debit"))
        .put("items", new JsonArray().add(new JsonObject().put("price", "price_1").put("quantity", 2)));
    assertEquals("payment_method_types[0]=card&payment_method_types[1]=sepa_debit"
        + "&items[0][price]=price_1&items[0][quantity]=2", StripeForm.encode(params));
  }

  @Test
  void valuesArePercentEncodedAndNullUnsets() {
    JsonObject params = new JsonObject().put("description", "a b&c=d/é").put("email", null)
        .put("capture", true).put("ratio", 0.00001).put("whole", 12.0);
    assertEquals("description=a+b%26c%3Dd%2F%C3%A9&email=&capture=true&ratio=0.00001&whole=12",
        StripeForm.encode(params));
  }

  /** As stripe-node does: Stripe refuses {@code preferred_locales=} for an array param. */
  @Test
  void emptyArraysAreLeftOutAtAnyDepth() {
    JsonObject params = new JsonObject().put("email", "a@b.c").put("preferred_locales", new JsonArray())
        .put("invoice_settings", new JsonObject().put("custom_fields", new JsonArray()).put("footer", "f"))
        .put("items", new JsonArray().add(new JsonObject().put("price", "p").put("tax_rates", new JsonArray())))
        .put("expand", new JsonArray()).put("tax_id_data", null);
    assertEquals("email=a%40b.c&invoice_settings[footer]=f&items[0][price]=p&tax_id_data=", StripeForm.encode(params));
    assertEquals("", StripeForm.encode(new JsonObject().put("preferred_locales", new JsonArray())));
  }

  @Test
  void noParamsEncodeToNothing() {
    assertEquals("", StripeForm.encode(new JsonObject()));
    assertEquals("", StripeForm.encode(null));
  }

  @Test
  void decodeReadsWhatEncodeWrote() {
    JsonObject params = new JsonObject().put("amount", "2000")
        .put("metadata", new JsonObject().put("order_id", "o 1&"))
        .put("items", new JsonObject().put("0", new JsonObject().put("price", "price_1")));
    JsonObject sent = new JsonObject().put("amount", 2000)
        .put("metadata", new JsonObject().put("order_id", "o 1&"))
        .put("items", new JsonArray().add(new JsonObject().put("price", "price_1")));
    assertEquals(params, StripeForm.decode(StripeForm.encode(sent)));
  }
}
