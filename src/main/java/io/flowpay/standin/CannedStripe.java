package io.flowpay.standin;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

/**
 * The benchmark's Stripe ({@code flowpay bench}): a plain Vert.x HTTP server on one event loop of its own that answers
 * every request with the same {@code payment_intent} (Stripe's published example, pretty-printed as
 * Stripe sends it, ~1.6 KB). It does no work per request, so it is not what limits a run; its
 * thread's CPU time is measured so that it can be left out of the per-operation CPU. With a latency
 * it answers that many milliseconds after each request (a timer, no thread held), as Stripe does.
 */
public final class CannedStripe implements AutoCloseable {

  private final Vertx vertx;
  private final HttpServer server;
  private final byte[] body;
  private final long latencyMs;
  private volatile long threadId = -1;

  private CannedStripe(Vertx vertx, byte[] body, long latencyMs) {
    this.vertx = vertx;
    this.body = body;
    this.latencyMs = latencyMs;
    this.server = vertx.createHttpServer().requestHandler(this::answer);
  }

  /** Starts it on a free port of 127.0.0.1, answering {@code latencyMs} after each request (0: at once). */
  public static CannedStripe start(long latencyMs) {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    CannedStripe standIn = new CannedStripe(vertx, paymentIntent().encodePrettily().getBytes(StandardCharsets.UTF_8),
        latencyMs);
    standIn.server.listen(0, "127.0.0.1").await();
    return standIn;
  }

  /** e.g. {@code http://127.0.0.1:41234}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** How long it waits before each answer. */
  public long latencyMs() {
    return latencyMs;
  }

  /** Size of the one answer it sends. */
  public int bodyBytes() {
    return body.length;
  }

  /** CPU time of the stand-in's event loop so far (0 before its first request). */
  public long cpuNanos() {
    long id = threadId;
    return id < 0 ? 0 : Math.max(0, ManagementFactory.getThreadMXBean().getThreadCpuTime(id));
  }

  private void answer(HttpServerRequest request) {
    if (threadId < 0) {
      threadId = Thread.currentThread().getId();
    }
    if (latencyMs > 0) {
      vertx.setTimer(latencyMs, fired -> reply(request));
    } else {
      reply(request);
    }
  }

  private void reply(HttpServerRequest request) {
    request.response()
        .putHeader("Content-Type", "application/json")
        .putHeader("Request-Id", "req_bench")
        .end(Buffer.buffer(body));
  }

  /** Stripe's example payment intent as a fresh create answers it. */
  private static JsonObject paymentIntent() {
    return StripeFixtures.load().object("payment_intent")
        .put("amount", 2000).put("status", "requires_payment_method")
        .put("canceled_at", null).put("last_payment_error", null).put("next_action", null);
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
