package io.flowpay.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Backpressure for the requests that go to Redis: at most {@code http.maxInFlight} of them are
 * handled at once; one more is answered 503 with {@code Retry-After} at once, before its body is
 * read, so a burst costs neither Redis's pool queue nor the event loop. Every 503 (shed, Redis
 * unavailable, too slow) is counted, and {@link #report} logs one summary line per interval instead
 * of a line per request.
 */
final class LoadShedder implements Handler<RoutingContext> {

  private static final System.Logger LOG = System.getLogger(LoadShedder.class.getName());
  /** Seconds a client is asked to wait before sending again. */
  static final int RETRY_AFTER_SECONDS = 1;

  private final int limit;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Map<String, Integer> unavailable = new TreeMap<>();
  private int shed;

  LoadShedder(int limit) {
    this.limit = limit;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (inFlight.incrementAndGet() > limit) {
      inFlight.decrementAndGet();
      count(null);
      unavailable(ctx, "busy", "more than " + limit + " requests at once (http.maxInFlight): try again in "
          + RETRY_AFTER_SECONDS + " s");
      return;
    }
    ctx.addEndHandler(ended -> inFlight.decrementAndGet());
    ctx.next();
  }

  /** Answers 503 with {@code Retry-After} and the JSON problem. */
  static void unavailable(RoutingContext ctx, String type, String message) {
    if (!Answers.answered(ctx)) {
      ctx.response().putHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
      Answers.send(ctx, 503, type, null, message);
    }
  }

  /** Counts a 503 for the summary: {@code why} null for a shed request, else what Redis said. */
  synchronized void count(String why) {
    if (why == null) {
      shed++;
    } else {
      unavailable.merge(why, 1, Integer::sum);
    }
  }

  int inFlight() {
    return inFlight.get();
  }

  /** Logs what was answered 503 since the last report, if anything; one line. */
  synchronized void report(long intervalMs) {
    if (shed == 0 && unavailable.isEmpty()) {
      return;
    }
    StringBuilder line = new StringBuilder("http: answered 503 to ").append(shed + unavailable.values().stream()
        .mapToInt(Integer::intValue).sum()).append(" requests in the last ").append(intervalMs / 1000).append(" s:");
    if (shed > 0) {
      line.append(' ').append(shed).append(" shed over http.maxInFlight (").append(limit).append(");");
    }
    unavailable.forEach((why, n) -> line.append(' ').append(n).append(" × ").append(why).append(';'));
    LOG.log(Level.WARNING, line.substring(0, line.length() - 1));
    shed = 0;
    unavailable.clear();
  }
}
