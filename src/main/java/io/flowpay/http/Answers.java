package io.flowpay.http;

import io.flowpay.flow.Ids;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.lang.System.Logger.Level;

/**
 * How every request is answered: a JSON result, or a JSON problem. Every error has one shape:
 * {@code {"error": {"type": "invalid_request", "field": "flow", "message": "..."}}} ({@code field}
 * only when one field is at fault). Nothing a handler throws or fails with escapes as a crash or an
 * unanswered request: it ends here.
 */
final class Answers {

  private static final System.Logger LOG = System.getLogger(Answers.class.getName());

  private Answers() {}

  /** True when the request was answered already (it timed out meanwhile) or the client went away. */
  static boolean answered(RoutingContext ctx) {
    return ctx.response().ended() || ctx.response().closed() || ctx.response().headWritten();
  }

  /** Answers {@code body} with {@code status}, unless the request was answered already. */
  static void json(RoutingContext ctx, int status, JsonObject body) {
    if (answered(ctx)) {
      return;
    }
    String text;
    try {
      text = body.encode();
    } catch (RuntimeException unwritable) {
      // e.g. stored data nested deeper than Jackson writes: answered now, not by the request timeout
      ctx.fail(unwritable);
      return;
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(text);
  }

  static void send(RoutingContext ctx, int status, String type, String field, String message) {
    if (answered(ctx)) {
      return;
    }
    JsonObject error = new JsonObject().put("type", type);
    if (field != null) {
      error.put("field", field);
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("error", error.put("message", message)).encode());
  }

  static void send(RoutingContext ctx, ApiProblem problem) {
    send(ctx, problem.status(), problem.type(), problem.field(), problem.getMessage());
  }

  /**
   * The router's failure handler: a problem as it is; a body too large 413; a request that could
   * not be read 400; Redis unavailable or too slow 503 with {@code Retry-After} (counted by
   * {@code shedder}, which logs a summary, not a line per request); anything else 500, logged once
   * with a reference the answer names.
   */
  static void failed(RoutingContext ctx, int maxBodyBytes, LoadShedder shedder) {
    Throwable failure = ctx.failure();
    String unavailable = failure == null ? null : Unavailable.reason(failure);
    if (failure instanceof ApiProblem problem) {
      send(ctx, problem);
    } else if (ctx.statusCode() == 413) {
      send(ctx, 413, "payload_too_large", null,
          "the request body is larger than " + maxBodyBytes + " bytes (http.maxBodyBytes)");
    } else if (failure == null && ctx.statusCode() == 503) {
      shedder.count("no answer within " + HttpVerticle.REQUEST_TIMEOUT_MS / 1000 + " s");
      LoadShedder.unavailable(ctx, "unavailable", "the request took too long; try again");
    } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      send(ctx, ctx.statusCode(), "invalid_request", null, "the request could not be read");
    } else if (unavailable != null) {
      shedder.count(unavailable);
      LoadShedder.unavailable(ctx, "unavailable", unavailable + ": try again in " + LoadShedder.RETRY_AFTER_SECONDS
          + " s");
    } else {
      String ref = Ids.newId().substring(0, 12);
      LOG.log(Level.ERROR, "http: " + ctx.request().method() + " " + ctx.normalizedPath() + " failed (ref " + ref + ")",
          failure);
      send(ctx, 500, "internal", null, "internal error (ref " + ref + "); the server log has the details");
    }
  }

  static void notFound(RoutingContext ctx) {
    send(ctx, 404, "not_found", null, "no such endpoint: " + ctx.request().method() + " " + ctx.normalizedPath());
  }

  static void methodNotAllowed(RoutingContext ctx) {
    send(ctx, 405, "method_not_allowed", null, ctx.request().method() + " is not allowed on " + ctx.normalizedPath());
  }
}
