package io.flowpay.cli;

import io.flowpay.config.FlowpayOptions;
import io.flowpay.failure.FlowpayFailure;
import io.flowpay.flow.FlowNames;
import io.flowpay.flow.Task;
import io.flowpay.queue.QueueReader;
import io.flowpay.worker.FlowpayNode;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code flowpay runs}: recent runs across every context, newest first, filtered. */
@Command(name = "runs", mixinStandardHelpOptions = true,
    description = "Recent runs of every context, newest first: time, status, flow, worker, context, caller, duration,"
        + " chain, and the error of a failed run. Reads each context's run records (a SCAN of Redis): an operator's"
        + " look-up. With --retry TASK_ID --context C, runs a failed run's task again as a fresh attempt (same"
        + " idempotency keys), audited.%nExit code: 0, 1 when Redis fails or there is no such failed run, 2 for"
        + " usage/config errors.")
public final class RunsCommand extends RedisCommand {

  private static final Pattern AGO = Pattern.compile("(\\d+)([smhd])");

  @Option(names = "--failed", description = "Only runs that did not end ok (failed, timed_out, dead).")
  boolean failed;

  @Option(names = "--flow", description = "Only runs of this flow.")
  String flow;

  @Option(names = "--since", description = "Only runs started since: an ISO-8601 time (2026-12-06T04:00:00Z) or a"
      + " span back from now (30s, 15m, 2h, 1d).")
  String since;

  @Option(names = "--limit", defaultValue = "50", description = "At most this many (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--json", description = "One JSON run record per line.")
  boolean json;

  @Option(names = "--retry", paramLabel = "TASK_ID", description = "Run again the task of this failed run (with --context).")
  String retry;

  @Option(names = "--context", description = "With --retry: the context the failed run is in.")
  String context;

  @Mixin
  ActorOption actor;

  @Override
  void check(FlowpayOptions options) {
    if (retry != null) {
      if (context == null) {
        throw new FlowpayFailure(FlowpayFailure.Kind.BAD_REQUEST, "--retry needs --context: the context the failed run"
            + " is in (see 'flowpay runs --failed')");
      }
      FlowNames.requireId("--context", context);
      return;
    }
    if (limit < 1) {
      throw new FlowpayFailure(FlowpayFailure.Kind.BAD_REQUEST, "--limit must be at least 1 (got " + limit + ")");
    }
    if (flow != null) {
      FlowNames.require(flow);
    }
    if (since != null) {
      sinceMillis(since, Instant.now());
    }
  }

  @Override
  int run(PrintWriter out, FlowpayOptions options, FlowpayNode node) {
    return retry != null ? retry(out, node) : list(out, node);
  }

  private int list(PrintWriter out, FlowpayNode node) {
    long sinceMs = since == null ? 0 : sinceMillis(since, Instant.now());
    int max = limit;
    List<JsonObject> runs = new QueueReader(node.redis()).recentRuns(sinceMs, Math.max(max, 1000)).await().stream()
        .filter(run -> !failed || !"ok".equals(run.getString("status")))
        .filter(run -> flow == null || flow.equals(run.getString("flow")))
        .limit(max).toList();
    RunPrinter printer = new RunPrinter(out, json);
    runs.forEach(printer::line);
    if (!json && runs.isEmpty()) {
      out.println("no runs" + (failed ? " failed" : "") + (flow == null ? "" : " of flow " + flow)
          + (since == null ? "" : " since " + Times.iso(sinceMs)));
    }
    return ExitCodes.OK;
  }

  private int retry(PrintWriter out, FlowpayNode node) {
    Task task = node.queue().retryRun(context, retry, actor.who(env)).await();
    if (task == null) {
      out.println("no failed run of task " + retry + " in context " + context + " (it succeeded since, or its record"
          + " is no longer kept): see 'flowpay runs --failed'");
      return ExitCodes.FAILED;
    }
    out.printf("retried task %s of flow %s in context %s on worker %s (chain %s)%n", task.taskId(), task.flow(),
        context, task.workerId(), task.chainId());
    return ExitCodes.OK;
  }

  /** {@code 15m} → 15 minutes before {@code now}; an ISO-8601 instant as it is. */
  static long sinceMillis(String text, Instant now) {
    Matcher ago = AGO.matcher(text);
    if (ago.matches()) {
      long amount = Long.parseLong(ago.group(1));
      Duration span = switch (ago.group(2)) {
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
      return now.minus(span).toEpochMilli();
    }
    try {
      return Instant.parse(text).toEpochMilli();
    } catch (DateTimeParseException bad) {
      throw new FlowpayFailure(FlowpayFailure.Kind.BAD_REQUEST, "--since '" + text + "' is neither a time nor a span:"
          + " use e.g. 2026-12-06T04:00:00Z, 30s, 15m, 2h or 1d");
    }
  }
}
