package io.flowpay.script;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.Set;

/**
 * Every money amount in Stripe params, at any depth ({@code line_items[0][price_data][unit_amount]}),
 * is an integer of the smallest currency unit: {@code 20.5}, {@code '2000'}, {@code true} or
 * {@code null} is refused before anything is recorded. The names are Stripe's integer-amount params
 * (stripe-java's params classes); {@code *_decimal} params ({@code unit_amount_decimal}) are decimal
 * strings by design and {@code amount_type}, {@code amount_details}, {@code custom_unit_amount} are not
 * amounts, so they are not checked.
 */
final class Amounts {

  /** Params that hold one amount. */
  static final Set<String> KEYS = Set.of("amount", "unit_amount", "amount_off", "application_fee_amount",
      "amount_to_capture", "amount_to_confirm", "flat_amount", "minimum_amount", "maximum_amount", "discount_amount",
      "total_tax_amount", "taxable_amount", "credit_amount", "out_of_band_amount", "amount_tip", "amount_requested");
  /** Params that hold a list of amounts, and {@code custom_unit_amount}'s amounts. */
  private static final Set<String> LISTS = Set.of("fixed_amounts");
  private static final Set<String> CUSTOM_UNIT_AMOUNT = Set.of("minimum", "maximum", "preset");

  private Amounts() {}

  static void check(String what, JsonObject params) {
    check(what, params, "");
  }

  private static void check(String what, Object value, String path) {
    if (value instanceof JsonObject object) {
      for (String key : object.fieldNames()) {
        String at = path.isEmpty() ? key : path + "." + key;
        Object child = object.getValue(key);
        if (KEYS.contains(key) || path.endsWith("custom_unit_amount") && CUSTOM_UNIT_AMOUNT.contains(key)) {
          requireInteger(what, at, child);
        } else if (LISTS.contains(key) && child instanceof JsonArray list) {
          for (int i = 0; i < list.size(); i++) {
            requireInteger(what, at + "[" + i + "]", list.getValue(i));
          }
        }
        check(what, child, at);
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
