package io.flowpay.standin;

import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** The objects one stand-in created, by id; fresh objects are Stripe's example objects with new ids. */
final class ObjectStore {

  private static final String ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  private final StripeFixtures fixtures;
  private final Map<String, JsonObject> byId = new LinkedHashMap<>();
  private final Random random = new SecureRandom();

  ObjectStore(StripeFixtures fixtures) {
    this.fixtures = fixtures;
  }

  /** The example object with a fresh id, {@code created} now, not live. Not yet stored. */
  JsonObject fresh(String objectName, String idPrefix) {
    return fixtures.object(objectName).put("id", newId(idPrefix)).put("created", now()).put("livemode", false);
  }

  /** The example object of a kind that has no id (a customer session, an account link), {@code created} now. */
  JsonObject example(String objectName) {
    JsonObject object = fixtures.object(objectName).put("livemode", false);
    return object.containsKey("created") ? object.put("created", now()) : object;
  }

  void put(JsonObject object) {
    byId.put(object.getString("id"), object);
  }

  /** The stored object (live, not a copy), or null when there is none of that kind. */
  JsonObject get(String id, String idPrefix) {
    return id.startsWith(idPrefix) ? byId.get(id) : null;
  }

  /** The stored object (live) of that kind ({@code object} field, e.g. {@code checkout.session}), or null. */
  JsonObject find(String id, String objectName) {
    JsonObject object = byId.get(id);
    return object != null && objectName.equals(object.getString("object")) ? object : null;
  }

  /** The stored objects of that kind (live), newest first. */
  List<JsonObject> all(String objectName) {
    List<JsonObject> all = new ArrayList<>();
    byId.values().stream().filter(object -> objectName.equals(object.getString("object"))).forEach(all::add);
    Collections.reverse(all);
    return all;
  }

  void remove(String id) {
    byId.remove(id);
  }

  int count() {
    return byId.size();
  }

  String newId(String prefix) {
    StringBuilder id = new StringBuilder(prefix);
    for (int i = 0; i < 24; i++) {
      id.append(ID_CHARS.charAt(random.nextInt(ID_CHARS.length())));
    }
    return id.toString();
  }

  static long now() {
    return System.currentTimeMillis() / 1000;
  }

  /** Null when {@code form[param]} is a positive integer; otherwise Stripe's 400 naming the param. */
  static StripeReply requireAmount(JsonObject form, String param) {
    String value = form.getString(param);
    if (value == null) {
      return StripeReply.missingParam(param);
    }
    if (!value.matches("\\d{1,18}")) {
      return StripeReply.invalidInteger(param, value);
    }
    if (Long.parseLong(value) < 1) {
      return StripeReply.invalid(400, "parameter_invalid_integer",
          "This value must be greater than or equal to 1.", param);
    }
    return null;
  }
}
