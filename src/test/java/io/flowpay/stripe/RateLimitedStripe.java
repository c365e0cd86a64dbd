package io.flowpay.stripe;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * A Stripe stand-in that keeps a rate limit as Stripe does: at most {@code perSecond} requests are answered in
 * any one second (a sliding window); a request above it gets Stripe's 429 {@code rate_limit_error}. Answered
 * requests create a payment intent, once per {@code Idempotency-Key} (a repeat replays the first answer).
 * It runs on its own Vert.x instance, so that the test's own work never delays its clock.
 */
final class RateLimitedStripe implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final int perSecond;
  private final HttpServer server;
  private final Deque<Long> answered = new ArrayDeque<>();
  private final Map<String, JsonObject> byKey = new HashMap<>();
  private int limited;
  private int requests;
  private int busiestSecond;

  RateLimitedStripe(int perSecond) {
    this.perSecond = perSecond;
    this.server = vertx.createHttpServer().requestHandler(this::handle);
    server.listen(0, "127.0.0.1").await();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** Requests answered 429. */
  synchronized int limited() {
    return limited;
  }

  synchronized int requests() {
    return requests;
  }

  /** Payment intents created, by idempotency key. */
  synchronized Map<String, JsonObject> created() {
    return Map.copyOf(byKey);
  }

  /** The most requests answered (not 429) in any one second. */
  synchronized int busiestSecond() {
    return busiestSecond;
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(body -> answer(request));
  }

  private synchronized void answer(HttpServerRequest request) {
    requests++;
    long now = System.nanoTime();
    while (!answered.isEmpty() && now - answered.peekFirst() >= 1_000_000_000L) {
      answered.removeFirst();
    }
    if (answered.size() >= perSecond) {
      limited++;
      send(request, 429, new JsonObject().put("error", new JsonObject().put("type", "rate_limit_error")
          .put("message", "Too many requests hit the API too quickly.")));
      return;
    }
    answered.addLast(now);
    busiestSecond = Math.max(busiestSecond, answered.size());
    String key = request.getHeader("Idempotency-Key");
    JsonObject intent = byKey.computeIfAbsent(key, k -> new JsonObject().put("id", "pi_" + (byKey.size() + 1))
        .put("object", "payment_intent").put("status", "requires_confirmation").put("amount", 1000)
        .put("currency", "eur"));
    send(request, 200, intent);
  }

  private static void send(HttpServerRequest request, int status, JsonObject body) {
    request.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .putHeader("Request-Id", "req_limited").end(Buffer.buffer(body.encode()));
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
