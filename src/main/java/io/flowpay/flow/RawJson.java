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

  /**
   * Where the JSON object or array starting at {@code from} ends (the index after its closing
   * bracket), found by counting brackets outside strings; -1 if {@code from} does not start one or
   * it does not end. Does not check the JSON in between: for text Flowpay wrote itself.
   */
  static int endOfStructure(String text, int from) {
    if (from >= text.length() || (text.charAt(from) != '{' && text.charAt(from) != '[')) {
      return -1;
    }
    int depth = 0;
    for (int at = from; at < text.length(); at++) {
      char c = text.charAt(at);
      if (c == '"') {
        at++;
        while (at < text.length() && text.charAt(at) != '"') {
          at += text.charAt(at) == '\\' ? 2 : 1;
        }
      } else if (c == '{' || c == '[') {
        depth++;
      } else if ((c == '}' || c == ']') && --depth == 0) {
        return at + 1;
      }
    }
    return -1;
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
