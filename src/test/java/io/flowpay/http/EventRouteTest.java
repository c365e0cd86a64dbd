package io.flowpay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.FlowpayHarness;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class EventRouteTest {

  @Test
  void typeBecomesFlowNameWithUnderscores() {
    EventRoute route = EventRoute.of(event("checkout.session.completed", new JsonObject().put("id", "cs_1")), "w1");
    assertEquals("on_checkout_session_completed", route.flow());
  }

  @Test
  void metadataNamesWorkerAndContext() {
    JsonObject object = FlowpayHarness.fixture("payment_intent")
        .put("metadata", new JsonObject().put("flowpay_worker", "w7").put("flowpay_context", "order-9"));
    EventRoute route = EventRoute.of(event("payment_intent.succeeded", object), "w1");
    assertEquals(new EventRoute("on_payment_intent_succeeded", "w7", "order-9", null), route);
  }

  @Test
  void withoutMetadataDefaultWorkerAndObjectId() {
    JsonObject object = FlowpayHarness.fixture("payment_intent");
    EventRoute route = EventRoute.of(event("payment_intent.succeeded", object), "w1");
    assertEquals(new EventRoute("on_payment_intent_succeeded", "w1", object.getString("id"), null), route);
  }

  @Test
  void eachMetadataKeyFallsBackOnItsOwn() {
    JsonObject object = new JsonObject().put("id", "pi_1").put("metadata", new JsonObject().put("flowpay_context", "c9"));
    assertEquals(new EventRoute("on_payment_intent_created", "w1", "c9", null),
        EventRoute.of(event("payment_intent.created", object), "w1"));
  }

  @Test
  void objectWithoutIdRunsInContextNamedByEvent() {
    EventRoute route = EventRoute.of(event("balance.available", FlowpayHarness.fixture("balance")), "w1");
    assertEquals("evt_test", route.contextId());
  }

  @Test
  void invalidMetadataIsUnroutableWithReason() {
    JsonObject object = new JsonObject().put("id", "pi_1").put("metadata", new JsonObject().put("flowpay_worker", "w 1"));
    EventRoute route = EventRoute.of(event("payment_intent.created", object), "w1");
    assertFalse(route.runnable());
    assertTrue(route.problem().contains("metadata[flowpay_worker] 'w 1'"), route.problem());
  }

  @Test
  void typeThatMakesNoFlowNameIsUnroutable() {
    EventRoute route = EventRoute.of(event("Weird-Type", new JsonObject().put("id", "x")), "w1");
    assertFalse(route.runnable());
    assertTrue(route.problem().contains("Weird-Type"), route.problem());
  }

  private static JsonObject event(String type, JsonObject object) {
    return HttpFixture.event("evt_test", type, object);
  }
}
