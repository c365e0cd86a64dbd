package io.flowpay.flowtest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A Stripe form body ({@code a=1&b[c]=2&d[0]=x}) read back into the params a flow gave, values as the strings
 * that were sent: what a test's {@code t.calls()} shows and {@code t.expectCall} compares with.
 */
final class FormDecoder {

  private FormDecoder() {}

  static JsonObject decode(String form) {
    JsonObject root = new JsonObject();
    if (form == null || form.isEmpty()) {
      return root;
    }
    for (String pair : form.split("&")) {
      int equals = pair.indexOf('=');
      String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
      String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
      put(root, segments(key), value);
    }
    return root;
  }

  private static List<String> segments(String key) {
    List<String> segments = new ArrayList<>();
    int bracket = key.indexOf('[');
    segments.add(bracket < 0 ? key : key.substring(0, bracket));
    while (bracket >= 0) {
      int close = key.indexOf(']', bracket);
      if (close < 0) {
        break;
      }
      segments.add(key.substring(bracket + 1, close));
      bracket = key.indexOf('[', close);
    }
    return segments;
  }

  private static void put(Object container, List<String> segments, String value) {
    Object node = container;
    for (int i = 0; i < segments.size(); i++) {
      String segment = segments.get(i);
      boolean last = i == segments.size() - 1;
      boolean nextIsIndex = !last && segments.get(i + 1).matches("\\d*");
      Object child = last ? value : nextIsIndex ? new JsonArray() : new JsonObject();
      if (node instanceof JsonObject object) {
        if (last || !object.containsKey(segment)) {
          object.put(segment, child);
        }
        node = object.getValue(segment);
      } else if (node instanceof JsonArray array) {
        int index = segment.isEmpty() ? array.size() : Integer.parseInt(segment);
        while (array.size() <= index) {
          array.addNull();
        }
        if (last || array.getValue(index) == null) {
          array.set(index, child);
        }
        node = array.getValue(index);
      }
    }
  }
}
