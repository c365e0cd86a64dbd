package io.flowpay.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;

/**
 * Closes a connection that does not send a whole request header within {@code http.headerTimeoutMs}
 * of opening, or of the answer to its previous request (a client that dribbles header bytes is
 * never idle, so the idle timeout alone would hold it for ever). Used on the HTTP verticle's own
 * event loop only: connections and requests of one server arrive there.
 */
final class HeaderDeadlines {

  private final Vertx vertx;
  private final long timeoutMs;
  private final Map<HttpConnection, Long> timers = new HashMap<>();

  HeaderDeadlines(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
  }

  /** The server's connection handler: the first header is due now. */
  void opened(HttpConnection connection) {
    connection.closeHandler(closed -> cancel(connection));
    arm(connection);
  }

  /** The router's first handler: this header arrived; the next one is due once this request is answered. */
  void arrived(RoutingContext ctx) {
    HttpConnection connection = ctx.request().connection();
    cancel(connection);
    ctx.addEndHandler(ended -> {
      if (ended.succeeded()) {
        arm(connection);
      }
    });
    ctx.next();
  }

  private void arm(HttpConnection connection) {
    cancel(connection);
    timers.put(connection, vertx.setTimer(timeoutMs, fired -> {
      timers.remove(connection);
      connection.close();
    }));
  }

  private void cancel(HttpConnection connection) {
    Long timer = timers.remove(connection);
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
  }
}
