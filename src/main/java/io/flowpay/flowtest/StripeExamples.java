package io.flowpay.flowtest;

import io.flowpay.failure.FlowpayFailure;
import io.vertx.core.json.JsonObject;

/**
 * Stripe's published example objects, by object name ({@code payment_intent}, {@code checkout.session}, ...): the
 * ones the Stripe stand-in answers with ({@code /standin/stripe-fixtures.json}). What a flow test's {@code fixture(name)}
 * and {@code flowpay try --answer name} give.
 */
public final class StripeExamples {

  private static final String RESOURCE = "/standin/stripe-fixtures.json";
  private static volatile JsonObject objects;

  private StripeExamples() {}

  /** A fresh copy of the example object; a clear error naming some that exist when there is none. */
  public static JsonObject object(String name) {
    JsonObject object = all().getJsonObject(name);
    if (object == null) {
      throw new FlowpayFailure(FlowpayFailure.Kind.BAD_REQUEST, "Stripe has no example object named '" + name
          + "': use an object name such as payment_intent, customer, refund, invoice, subscription, checkout.session");
    }
    return object.copy();
  }

  private static JsonObject all() {
    JsonObject loaded = objects;
    if (loaded == null) {
      loaded = new JsonObject(TestRun.resource(RESOURCE)).getJsonObject("resources");
      objects = loaded;
    }
    return loaded;
  }
}
