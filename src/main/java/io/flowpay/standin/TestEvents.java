package io.flowpay.standin;

import com.stripe.net.Webhook;
import io.flowpay.failure.FlowpayFailure;
import io.vertx.core.json.JsonObject;
import java.security.GeneralSecurityException;
import java.util.UUID;

/**
 * Test Stripe events for a local service, as {@code stripe trigger} sends them: an {@code event} in the shape of
 * Stripe's published example, about an example object of the event's kind, routed by the object's
 * {@code metadata[flowpay_context]} / {@code metadata[flowpay_worker]}, and signed as Stripe signs deliveries.
 */
public final class TestEvents {

  private final StripeFixtures fixtures = StripeFixtures.load();

  /**
   * An event of {@code type} (e.g. {@code payment_intent.succeeded}) about the example object of its kind, whose
   * metadata routes it to {@code context} (and {@code worker} when not null).
   */
  public JsonObject event(String type, String context, String worker) {
    JsonObject object = fixtures.object(objectName(type));
    object.put("id", idPrefix(object) + UUID.randomUUID().toString().replace("-", "").substring(0, 24));
    JsonObject metadata = object.getValue("metadata") instanceof JsonObject given ? given : new JsonObject();
    metadata.put("flowpay_context", context);
    if (worker != null) {
      metadata.put("flowpay_worker", worker);
    }
    object.put("metadata", metadata);
    JsonObject event = fixtures.object("event");
    return event.put("id", "evt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24))
        .put("type", type).put("created", System.currentTimeMillis() / 1000)
        .put("data", new JsonObject().put("object", object));
  }

  /** Stripe's {@code Stripe-Signature}: {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.payload">}. */
  public static String signature(String payload, String secret, long unixSeconds) {
    try {
      return "t=" + unixSeconds + ",v1=" + Webhook.Util.computeHmacSha256(secret, unixSeconds + "." + payload);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available in this JVM", e);
    }
  }

  /** {@code payment_intent.succeeded} → {@code payment_intent}; {@code customer.subscription.created} → {@code subscription}. */
  private String objectName(String type) {
    int cut = type.lastIndexOf('.');
    if (cut <= 0) {
      throw new FlowpayFailure(FlowpayFailure.Kind.BAD_REQUEST, "'" + type
          + "' is not a Stripe event type: use <object>.<what happened>, e.g. payment_intent.succeeded");
    }
    String name = type.substring(0, cut);
    if (fixtures.has(name)) {
      return name;
    }
    String last = name.substring(name.lastIndexOf('.') + 1);
    if (fixtures.has(last)) {
      return last;
    }
    throw new FlowpayFailure(FlowpayFailure.Kind.BAD_REQUEST, "no example Stripe object '" + name + "' for event type '"
        + type + "': use an event about a Stripe object, e.g. payment_intent.succeeded or invoice.paid");
  }

  private static String idPrefix(JsonObject object) {
    String id = object.getString("id", "obj_");
    int cut = id.indexOf('_');
    return cut > 0 ? id.substring(0, cut + 1) : "obj_";
  }
}
