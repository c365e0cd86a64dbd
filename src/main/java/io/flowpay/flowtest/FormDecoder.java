package io.flowpay.flowtest;

import io.flowpay.stripe.StripeForm;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A Stripe form body ({@code a=1&b[c]=2&d[0]=x}) read back into the params a flow gave, values as the strings
 * that were sent: what a test's {@code t.calls()} shows and {@code t.expectCall} compares with. Read as Stripe
 * reads it ({@link StripeForm#decode}), then an object keyed {@code "0"}, {@code "1"}, ... becomes the array the
 * flow gave.
 */
final class FormDecoder {

  private FormDecoder() {}

  static JsonObject decode(String form) {
    JsonObject params = StripeForm.decode(form);
    params.getMap().replaceAll((key, value) -> arrays(value));
    return params;
  }

  private static Object arrays(Object value) {
    if (!(value instanceof JsonObject object)) {
      return value;
    }
    Map<String, Object> fields = object.getMap();
    fields.replaceAll((key, child) -> arrays(child));
    boolean indexed = !fields.isEmpty()
        && IntStream.range(0, fields.size()).allMatch(i -> fields.containsKey(String.valueOf(i)));
    if (!indexed) {
      return object;
    }
    JsonArray array = new JsonArray();
    IntStream.range(0, fields.size()).forEach(i -> array.add(fields.get(String.valueOf(i))));
    return array;
  }
}
