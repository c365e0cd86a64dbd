package io.flowpay.config;

import io.vertx.core.json.JsonObject;

/**
 * The HTTP API and webhook endpoint of {@code flowpay serve}. Off unless {@code http.port} is set.
 * The API tokens are never here: they come from {@code FLOWPAY_API_TOKENS}.
 *
 * @param port TCP port to listen on; {@link #OFF} when the section has no port; 0 picks a free one
 * @param host interface to bind; the default keeps the API on this machine
 * @param maxBodyBytes largest request body accepted; a larger one is answered 413
 * @param headerTimeoutMs a connection that has not sent a request's whole header this long after it
 *     opened (or after its previous answer) is closed
 * @param idleTimeoutMs a connection on which nothing is read or written this long is closed
 * @param maxInFlight API and webhook requests handled at once; more are answered 503 with
 *     {@code Retry-After} at once instead of queueing for Redis
 */
public record HttpOptions(int port, String host, int maxBodyBytes, long headerTimeoutMs, long idleTimeoutMs,
    int maxInFlight) {

  public static final int OFF = -1;
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;
  public static final long DEFAULT_HEADER_TIMEOUT_MS = 20_000;
  public static final long DEFAULT_IDLE_TIMEOUT_MS = 60_000;
  public static final int DEFAULT_MAX_IN_FLIGHT = 256;

  public HttpOptions() {
    this(OFF, DEFAULT_HOST, DEFAULT_MAX_BODY_BYTES);
  }

  public HttpOptions(int port, String host, int maxBodyBytes) {
    this(port, host, maxBodyBytes, DEFAULT_HEADER_TIMEOUT_MS, DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_MAX_IN_FLIGHT);
  }

  /** Reads the {@code http} section; fails naming the key. */
  public HttpOptions(JsonObject json) {
    this(new ConfigReader(json, "http"));
  }

  private HttpOptions(ConfigReader config) {
    this(config.integer("port", OFF, 0, 65_535),
        config.string("host", DEFAULT_HOST),
        config.integer("maxBodyBytes", DEFAULT_MAX_BODY_BYTES, 1_024, 16 * 1024 * 1024),
        config.integer("headerTimeoutMs", (int) DEFAULT_HEADER_TIMEOUT_MS, 100, 600_000),
        config.integer("idleTimeoutMs", (int) DEFAULT_IDLE_TIMEOUT_MS, 1_000, 3_600_000),
        config.integer("maxInFlight", DEFAULT_MAX_IN_FLIGHT, 1, 100_000));
  }

  public boolean enabled() {
    return port != OFF;
  }

  public HttpOptions withPort(int newPort) {
    return new HttpOptions(newPort, host, maxBodyBytes, headerTimeoutMs, idleTimeoutMs, maxInFlight);
  }

  public HttpOptions withMaxBodyBytes(int newMaxBodyBytes) {
    return new HttpOptions(port, host, newMaxBodyBytes, headerTimeoutMs, idleTimeoutMs, maxInFlight);
  }

  public HttpOptions withTimeouts(long newHeaderTimeoutMs, long newIdleTimeoutMs) {
    return new HttpOptions(port, host, maxBodyBytes, newHeaderTimeoutMs, newIdleTimeoutMs, maxInFlight);
  }

  public HttpOptions withMaxInFlight(int newMaxInFlight) {
    return new HttpOptions(port, host, maxBodyBytes, headerTimeoutMs, idleTimeoutMs, newMaxInFlight);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("host", host).put("maxBodyBytes", maxBodyBytes)
        .put("headerTimeoutMs", headerTimeoutMs).put("idleTimeoutMs", idleTimeoutMs).put("maxInFlight", maxInFlight);
    return enabled() ? json.put("port", port) : json;
  }
}
