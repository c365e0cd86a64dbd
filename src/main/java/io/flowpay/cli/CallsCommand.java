package io.flowpay.cli;

import io.flowpay.config.FlowpayOptions;
import io.flowpay.queue.ReconcilingCalls;
import io.flowpay.worker.FlowpayNode;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code flowpay calls}: a worker's calls whose outcome at Stripe is unknown: those being reconciled
 * (age, attempts, last answer, next attempt) and those whose window was spent (their error flow ran
 * with {@code outcome_unknown}: check them in Stripe's dashboard by their idempotency key).
 */
@Command(name = "calls", mixinStandardHelpOptions = true,
    description = "A worker's calls whose outcome at Stripe is not known: being reconciled (re-sent with their key, or"
        + " looked up), and those still unknown when stripe.reconcileWindowMs ran out (--unresolved).%n"
        + "Exit code: 0 on success, 1 when Redis fails, 2 for usage/config errors.")
public final class CallsCommand extends RedisCommand {

  @Mixin
  WorkerOption worker;

  @Option(names = "--unresolved", description = "List the calls whose outcome stayed unknown through the whole window.")
  boolean unresolved;

  @Option(names = "--json", description = "Print JSON, one object per line.")
  boolean json;

  @Override
  void check(FlowpayOptions options) {
    worker.of(options);
  }

  @Override
  int run(PrintWriter out, FlowpayOptions options, FlowpayNode node) {
    String workerId = worker.of(options);
    ReconcilingCalls calls = new ReconcilingCalls(node.redis());
    List<JsonObject> listed = (unresolved ? calls.unresolved(workerId) : calls.list(workerId)).await();
    long now = System.currentTimeMillis();
    for (JsonObject call : listed) {
      out.println(json ? call.encode() : line(call, now));
    }
    if (!json) {
      out.printf("%d call(s) %s on worker %s%n", listed.size(), unresolved ? "unresolved" : "being reconciled", workerId);
    }
    return ExitCodes.OK;
  }

  private static String line(JsonObject call, long now) {
    Long next = call.getLong("next_attempt_at");
    return String.format("%s  age %s  attempts %d  last: %s%s%s", call.getString("call_id"),
        age(now - call.getLong("since", now)), call.getInteger("attempts", 0), call.getString("last_error"),
        next == null ? "" : "  next in " + age(Math.max(0, next - now)),
        call.getString("path") == null ? "" : "  " + call.getString("method") + " " + call.getString("path")
            + " (flow " + call.getString("flow") + ", context " + call.getString("context_id") + ", idempotency key "
            + call.getString("idempotency_key") + (call.containsKey("given_up_at")
                ? ", given up " + Instant.ofEpochMilli(call.getLong("given_up_at")) : "") + ")");
  }

  private static String age(long millis) {
    Duration age = Duration.ofMillis(millis);
    return age.toHours() > 0 ? age.toHours() + "h" + age.toMinutesPart() + "m"
        : age.toMinutes() > 0 ? age.toMinutes() + "m" + age.toSecondsPart() + "s" : age.toSeconds() + "s";
  }
}
