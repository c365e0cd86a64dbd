package io.flowpay.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads a request's raw body, at most {@code limit} bytes, for the handlers after it
 * ({@link #of}). Unlike vertx-web's {@code BodyHandler} it never decodes forms or uploads (whose
 * decoder failures were answered 500): whatever the content type, the body is bytes, and the
 * handler decides whether they are JSON. A declared or received length over the limit is answered
 * 413 at once; a request that breaks off is answered 400.
 */
final class BoundedBody implements Handler<RoutingContext> {

  private static final String KEY = "flowpay.body";

  private final int limit;

  BoundedBody(int limit) {
    this.limit = limit;
  }

  /** The body read for this request; empty when it had none. */
  static Buffer of(RoutingContext ctx) {
    Buffer body = ctx.get(KEY);
    return body == null ? Buffer.buffer() : body;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (declaredLength(request) > limit) {
      ctx.fail(413);
      return;
    }
    if (request.isEnded()) {
      ctx.next();
      return;
    }
    new Reading(ctx).start();
  }

  private static long declaredLength(HttpServerRequest request) {
    try {
      String length = request.getHeader("Content-Length");
      return length == null ? -1 : Long.parseLong(length.trim());
    } catch (NumberFormatException bad) {
      return -1;
    }
  }

  /** One body being read. */
  private final class Reading {

    private final RoutingContext ctx;
    private final Buffer body = Buffer.buffer();
    private boolean failed;

    Reading(RoutingContext ctx) {
      this.ctx = ctx;
    }

    void start() {
      HttpServerRequest request = ctx.request();
      request.handler(this::chunk).exceptionHandler(this::broken).endHandler(ended -> end());
      if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
        ctx.response().writeContinue();
      }
      request.resume();
    }

    private void chunk(Buffer chunk) {
      if (failed) {
        return;
      }
      if (body.length() + chunk.length() > limit) {
        failed = true;
        ctx.fail(413);
        return;
      }
      body.appendBuffer(chunk);
    }

    private void broken(Throwable error) {
      if (!failed) {
        failed = true;
        ctx.fail(400, error);
      }
    }

    private void end() {
      if (!failed) {
        ctx.put(KEY, body);
        ctx.next();
      }
    }
  }
}
