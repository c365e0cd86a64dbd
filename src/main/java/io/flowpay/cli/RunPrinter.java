package io.flowpay.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Prints run records as people read them, or as one JSON object a line for scripts. */
final class RunPrinter {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneId.systemDefault());
  private static final String INDENT = "             ";

  private final PrintWriter out;
  private final boolean json;

  RunPrinter(PrintWriter out, boolean json) {
    this.out = out;
    this.json = json;
  }

  synchronized void print(JsonObject run) {
    if (json) {
      out.println(run.encode());
      return;
    }
    out.println(headline(run));
    for (Object line : run.getJsonArray("logs", new JsonArray())) {
      JsonObject log = (JsonObject) line;
      out.printf("%s%-5s %s%n", INDENT, log.getString("level"), log.getString("message"));
    }
    JsonArray writes = run.getJsonArray("writes", new JsonArray());
    if (!writes.isEmpty()) {
      out.printf("%sstate %s%n", INDENT, String.join(", ", writes.stream().map(String::valueOf).toList()));
    }
    for (Object item : run.getJsonArray("calls", new JsonArray())) {
      JsonObject call = (JsonObject) item;
      out.printf("%scall  %s %s -> %s | %s (Idempotency-Key %s)%n", INDENT, call.getString("method"), call.getString("path"),
          call.getString("on_success"), call.getString("on_error"), call.getString("idempotency_key"));
    }
    for (Object item : run.getJsonArray("timers", new JsonArray())) {
      JsonObject timer = (JsonObject) item;
      out.printf("%stimer %s on %s/%s in %d ms%n", INDENT, timer.getString("flow"), timer.getString("worker_id"),
          timer.getString("context_id"), timer.getLong("delay_ms", 0L));
    }
    for (Object item : run.getJsonArray("dispatches", new JsonArray())) {
      JsonObject child = (JsonObject) item;
      out.printf("%sstart %s on %s/%s%n", INDENT, child.getString("flow"), child.getString("worker_id"),
          child.getString("context_id"));
    }
    printError(run);
  }

  /** One line a run (with its date), and its error: for lists of runs across chains. */
  synchronized void line(JsonObject run) {
    if (json) {
      out.println(run.encode());
      return;
    }
    out.println(DAY.format(Instant.ofEpochMilli(run.getLong("started_at", 0L))) + " " + headline(run)
        + " chain=" + run.getString("chain_id"));
    printError(run);
  }

  /** A failed run's error, where it happened first; then flushes, as the run is printed whole. */
  private void printError(JsonObject run) {
    JsonObject error = run.getJsonObject("error");
    if (error != null) {
      out.printf("%serror %s%n", INDENT, where(error) + error.getString("message"));
    }
    out.flush();
  }

  synchronized void summary(JsonObject summary) {
    if (json) {
      out.println(summary.encode());
    } else {
      out.printf("chain %s %s: %d run(s), %d failed%n", summary.getString("chain_id"), summary.getString("status"),
          summary.getLong("runs"), summary.getLong("failed"));
      if ("stuck".equals(summary.getString("status"))) {
        out.printf("chain %s is stuck: %d task(s) parked in the dead-letter stream; see 'flowpay dead list',"
            + " then 'flowpay dead retry' (or 'drop')%n", summary.getString("chain_id"), summary.getLong("dead", 0L));
      }
    }
    out.flush();
  }

  private static String headline(JsonObject run) {
    String status = run.getString("status");
    return String.format(Locale.ROOT, "%s %-9s %-40s worker=%s context=%s caller=%s %.1fms",
        TIME.format(Instant.ofEpochMilli(run.getLong("started_at", 0L))),
        "ok".equals(status) ? status : status.toUpperCase(Locale.ROOT),
        run.getString("flow"), run.getString("worker_id"), run.getString("context_id"), run.getString("caller_id"),
        run.getLong("duration_us", 0L) / 1000.0);
  }

  private static String where(JsonObject error) {
    String file = error.getString("file");
    int line = error.getInteger("line", 0);
    return file == null ? "" : file + (line > 0 ? ":" + line : "") + ": ";
  }
}
