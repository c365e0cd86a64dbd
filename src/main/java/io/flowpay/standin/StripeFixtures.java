package io.flowpay.standin;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Stripe's published example objects ({@code standin/stripe-fixtures.json} on the classpath), by object name. */
public final class StripeFixtures {

  static final String RESOURCE = "/standin/stripe-fixtures.json";

  private final JsonObject resources;

  private StripeFixtures(JsonObject resources) {
    this.resources = resources;
  }

  /** Reads them from the classpath. */
  public static StripeFixtures load() {
    try (InputStream in = StripeFixtures.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is not on the classpath (it ships in the Flowpay jar)");
      }
      return new StripeFixtures(new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .getJsonObject("resources"));
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + RESOURCE, e);
    }
  }

  /** Whether there is an example object named {@code name}. */
  public boolean has(String name) {
    return resources.containsKey(name);
  }

  /** A fresh copy of the example object, e.g. {@code payment_intent}. */
  public JsonObject object(String name) {
    JsonObject object = resources.getJsonObject(name);
    if (object == null) {
      throw new IllegalArgumentException(RESOURCE + " has no object named " + name);
    }
    return object.copy();
  }
}
