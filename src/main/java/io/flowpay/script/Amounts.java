package io.flowpay.script;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;

/** Every {@code amount} in Stripe params, at any depth, is an integer of the smallest currency unit. */
final class Amounts {

  private Amounts() {}

  static void check(String what, JsonObject params) {
    check(what, params, "");
  }

  private static void check(String what, Object value, String path) {
    if (value instanceof JsonObject object) {
      for (String key : object.fieldNames()) {
        String at = path.isEmpty() ? key : path + "." + key;
        if (key.equals("amount")) {
          requireInteger(what, at, object.getValue(key));
        }
        check(what, object.getValue(key), at);
      }
    } else if (value instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        check(what, array.getValue(i), path + "[" + i + "]");
      }
    }
  }

  private static void requireInteger(String what, String path, Object amount) {
    boolean integer = amount instanceof Integer || amount instanceof Long || amount instanceof BigInteger;
    if (!integer) {
      throw ScriptJson.refuse(what + ": " + path + " must be an integer number of the smallest currency unit"
          + " (e.g. 2000 for $20.00), got " + Json.encode(amount));
    }
  }
}
