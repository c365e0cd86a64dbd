package io.flowpay.flowtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.failure.FlowpayFailure;
import io.flowpay.stripe.StripeForm;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The pieces of {@code flowpay test} that need no Redis: routes, form bodies read back, test namespaces. */
class FlowTestPartsTest {

  @Test
  void aFormBodyReadsBackIntoTheParamsThatWereEncoded() {
    JsonObject params = new JsonObject().put("amount", 500).put("metadata", new JsonObject().put("order", "o 1&2"))
        .put("items", new JsonArray().add(new JsonObject().put("price", "price_1").put("quantity", 2)))
        .put("expand", new JsonArray().add("latest_invoice"));

    JsonObject decoded = FormDecoder.decode(StripeForm.encode(params));

    assertEquals(new JsonObject().put("amount", "500").put("metadata", new JsonObject().put("order", "o 1&2"))
        .put("items", new JsonArray().add(new JsonObject().put("price", "price_1").put("quantity", "2")))
        .put("expand", new JsonArray().add("latest_invoice")), decoded);
    assertEquals(new JsonObject(), FormDecoder.decode(""));
  }

  @Test
  void aRouteMatchesItsMethodAndOneSegmentPerStar() {
    Rule confirm = Rule.of("POST /v1/payment_intents/*/confirm", new JsonObject().put("no_answer", true), -1);
    Rule any = Rule.of("/v1/customers/cus_1", new JsonObject().put("body", new JsonObject()), 1);

    assertTrue(confirm.matches("POST", "/v1/payment_intents/pi_1/confirm"));
    assertFalse(confirm.matches("GET", "/v1/payment_intents/pi_1/confirm"));
    assertFalse(confirm.matches("POST", "/v1/payment_intents/pi_1/x/confirm"));
    assertTrue(any.matches("GET", "/v1/customers/cus_1") && any.matches("DELETE", "/v1/customers/cus_1"));
    assertTrue(any.take());
    assertFalse(any.take(), "times: 1 answers once");
  }

  @Test
  void aBadRouteOrAnswerSaysHowToWriteIt() {
    FlowpayFailure route = assertThrows(FlowpayFailure.class,
        () -> Rule.of("POST payment_intents", new JsonObject().put("no_answer", true), -1));
    FlowpayFailure answer = assertThrows(FlowpayFailure.class,
        () -> Rule.of("POST /v1/refunds", new JsonObject().put("status", 200), -1));

    assertTrue(route.getMessage().contains("write e.g. 'POST /v1/payment_intents/*/confirm'"), route.getMessage());
    assertTrue(answer.getMessage().contains("use fixture('payment_intent', {...})"), answer.getMessage());
  }

  @Test
  void aContextSaysWhichTestOfWhichRunItIs() {
    Namespace namespace = new Namespace("abc");

    assertEquals("ftabc-7.order-o1", namespace.context("7", "order-o1"));
    assertEquals("7", namespace.testOf("ftabc-7.order-o1"));
    assertNull(namespace.testOf("ftzzz-7.order-o1"));
    assertNull(namespace.testOf("order-o1"));
  }
}
