package io.flowpay.flow;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.json.Json;
import java.io.IOException;
import java.util.Objects;

/**
 * A JSON value carried as its text: a Stripe object travels from the HTTP answer through Redis to
 * the flow that reads it without being turned into Java maps and back on the way. Decoded only
 * when Java code asks for its {@link #value()}.
 */
public final class RawJson {

  static final JsonFactory JSON = new JsonFactory();

  private final String text;
  private volatile Object value;

  private RawJson(String text) {
    this.text = text;
  }

  /** Wraps text known to be one JSON value (read from JSON Flowpay wrote, or checked by {@link #object}). */
  static RawJson trusted(String text) {
    return new RawJson(text);
  }

  /** {@code text} as raw JSON when it is one JSON object (and nothing after it), else null. */
  public static RawJson object(String text) {
    if (text == null) {
      return null;
    }
    try (JsonParser parser = JSON.createParser(text)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      parser.skipChildren();
      return parser.nextToken() == null ? new RawJson(text) : null;
    } catch (IOException notJson) {
      return null;
    }
  }

  public String text() {
    return text;
  }

  /** The decoded value (JsonObject, JsonArray, String, Number, Boolean or null). */
  public Object value() {
    Object decoded = value;
    if (decoded == null) {
      decoded = Json.decodeValue(text);
      value = decoded;
    }
    return decoded;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RawJson raw && Objects.equals(value(), raw.value());
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(value());
  }

  @Override
  public String toString() {
    return text;
  }
}
