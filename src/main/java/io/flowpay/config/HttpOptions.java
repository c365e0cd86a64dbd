package io.flowpay.config;

import io.vertx.core.json.JsonObject;

/**
 * The HTTP API and webhook endpoint of {@code flowpay serve}. Off unless {@code http.port} is set.
 * The API tokens are never here: they come from {@code FLOWPAY_API_TOKENS}.
 *
 * @param port TCP port to listen on; {@link #OFF} when the section has no port; 0 picks a free one
 * @param host interface to bind; the default keeps the API on this machine
 * @param maxBodyBytes largest request body accepted; a larger one is answered 413
 */
public record HttpOptions(int port, String host, int maxBodyBytes) {

  public static final int OFF = -1;
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;

  public HttpOptions() {
    this(OFF, DEFAULT_HOST, DEFAULT_MAX_BODY_BYTES);
  }

  /** Reads the {@code http} section; fails naming the key. */
  public HttpOptions(JsonObject json) {
    this(new ConfigReader(json, "http"));
  }

  private HttpOptions(ConfigReader config) {
    this(config.integer("port", OFF, 0, 65_535),
        config.string("host", DEFAULT_HOST),
        config.integer("maxBodyBytes", DEFAULT_MAX_BODY_BYTES, 1_024, 16 * 1024 * 1024));
  }

  public boolean enabled() {
    return port != OFF;
  }

  public HttpOptions withPort(int newPort) {
    return new HttpOptions(newPort, host, maxBodyBytes);
  }

  public HttpOptions withMaxBodyBytes(int newMaxBodyBytes) {
    return new HttpOptions(port, host, newMaxBodyBytes);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("host", host).put("maxBodyBytes", maxBodyBytes);
    return enabled() ? json.put("port", port) : json;
  }
}
