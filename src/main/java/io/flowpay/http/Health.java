package io.flowpay.http;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.net.ConnectException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code GET /health} (no token), for readiness: 200 {@code {"status": "ok", "redis": "ok", "workers": {...}}}
 * when Redis answers PING and every worker of the process is running; otherwise 503 with the same body
 * saying which part is not. It names no host or secret. {@code GET /health/live}, for liveness: 200 while
 * the process answers at all, so that a standby or a process waiting for Redis is not restarted for it.
 */
final class Health implements Handler<RoutingContext> {

  static final long PING_TIMEOUT_MS = 2_000;

  private final HttpServices services;

  Health(HttpServices services) {
    this.services = services;
  }

  @Override
  public void handle(RoutingContext ctx) {
    services.redis().send(Request.cmd(Command.PING))
        .timeout(PING_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .map(pong -> "ok")
        .otherwise(Health::unreachable)
        .onComplete(redis -> answer(ctx, redis.result()));
  }

  /** {@code GET /health/live}: the process answers; Redis and leases are {@code /health}'s concern. */
  static void live(RoutingContext ctx) {
    ctx.response().putHeader("Cache-Control", "no-store");
    Answers.json(ctx, 200, new JsonObject().put("status", "ok"));
  }

  /** What went wrong, without the host (the endpoint has no token). */
  private static String unreachable(Throwable error) {
    if (error instanceof TimeoutException) {
      return "unreachable: no answer to PING within " + PING_TIMEOUT_MS + " ms";
    }
    if (error instanceof ConnectException) {
      return "unreachable: connection refused";
    }
    String message = String.valueOf(error.getMessage());
    return "unreachable: " + (message.startsWith("ERR") || message.startsWith("NOAUTH") || message.startsWith("WRONGPASS")
        ? message : error.getClass().getSimpleName());
  }

  private void answer(RoutingContext ctx, String redis) {
    Map<String, Boolean> workers = services.workers().get();
    JsonObject states = new JsonObject();
    workers.forEach((worker, running) -> states.put(worker, running ? "running" : "stopped"));
    boolean ok = "ok".equals(redis) && !workers.isEmpty() && !workers.containsValue(false);
    JsonObject body = new JsonObject().put("status", ok ? "ok" : "unavailable").put("redis", redis).put("workers", states);
    if (!Answers.answered(ctx)) {
      ctx.response().putHeader("Cache-Control", "no-store");
      Answers.json(ctx, ok ? 200 : 503, body);
    }
  }
}
