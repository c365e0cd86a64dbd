package io.flowpay.stripe;

import com.stripe.net.FormEncoder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stripe's form encoding, done by stripe-java's {@link FormEncoder}: nested objects become
 * {@code metadata[order_id]=o1}, arrays become indexed {@code items[0][price]=p} (brackets are not
 * percent-encoded), a JSON null becomes {@code key=} (which Stripe reads as "unset"), an empty
 * object is left out, and so is an empty array: stripe-java would send {@code key=}, which Stripe
 * refuses for an array param; stripe-node leaves it out, and so does Flowpay.
 */
public final class StripeForm {

  private StripeForm() {}

  /** {@code amount=2000&currency=usd&metadata[order_id]=o1}; empty for no params. */
  public static String encode(JsonObject params) {
    return params == null || params.isEmpty() ? "" : FormEncoder.createQueryString(toJava(params));
  }

  /** The params as the plain Map/List/String/Long/Boolean values {@link FormEncoder} expects. */
  static Map<String, Object> toJava(JsonObject json) {
    Map<String, Object> map = new LinkedHashMap<>();
    json.forEach(entry -> {
      if (!(entry.getValue() instanceof JsonArray array && array.isEmpty())) {
        map.put(entry.getKey(), plain(entry.getValue()));
      }
    });
    return map;
  }

  private static Object plain(Object value) {
    if (value instanceof JsonObject object) {
      return toJava(object);
    }
    if (value instanceof JsonArray array) {
      List<Object> list = new ArrayList<>();
      array.forEach(item -> list.add(plain(item)));
      return list;
    }
    if (value instanceof Number number) {
      return number(number);
    }
    return value;
  }

  /** Whole numbers as {@code Long}; others as plain decimals (never {@code 1.0E-5}). */
  private static Object number(Number number) {
    BigDecimal decimal = new BigDecimal(number.toString());
    try {
      return decimal.longValueExact();
    } catch (ArithmeticException notWhole) {
      return decimal.stripTrailingZeros().toPlainString();
    }
  }

  /**
   * Reads a form body as Stripe does: {@code metadata[k]=v} into nested objects, {@code items[0][price]}
   * into an object keyed {@code "0"}. Values stay strings.
   */
  public static JsonObject decode(String form) {
    JsonObject root = new JsonObject();
    if (form == null || form.isEmpty()) {
      return root;
    }
    for (String pair : form.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      put(root, segments(key), value);
    }
    return root;
  }

  private static List<String> segments(String key) {
    List<String> segments = new ArrayList<>();
    int open = key.indexOf('[');
    segments.add(open < 0 ? key : key.substring(0, open));
    while (open >= 0) {
      int close = key.indexOf(']', open);
      if (close < 0) {
        break;
      }
      segments.add(key.substring(open + 1, close));
      open = key.indexOf('[', close);
    }
    return segments;
  }

  private static void put(JsonObject root, List<String> segments, String value) {
    JsonObject node = root;
    for (String segment : segments.subList(0, segments.size() - 1)) {
      if (!(node.getValue(segment) instanceof JsonObject)) {
        node.put(segment, new JsonObject());
      }
      node = node.getJsonObject(segment);
    }
    node.put(segments.get(segments.size() - 1), value);
  }
}
