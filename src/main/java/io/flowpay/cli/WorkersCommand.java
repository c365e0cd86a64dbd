package io.flowpay.cli;

import io.flowpay.config.FlowpayOptions;
import io.flowpay.queue.QueueReader;
import io.flowpay.queue.WorkerStats;
import io.flowpay.worker.FlowpayNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.List;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flowpay workers}: every worker stream, who reads it, and how far behind it is. */
@Command(name = "workers", mixinStandardHelpOptions = true,
    description = "Every worker id with a stream in Redis (and those of the config): consumers that took a task in the"
        + " last 30 s out of all (an idle worker takes none), tasks queued and running, lag (age of the oldest task not done), calls in flight, timers, dead letters.%n"
        + "Exit code: 0, 1 when Redis fails, 2 for usage/config errors.")
public final class WorkersCommand extends RedisCommand {

  @Option(names = "--json", description = "One JSON object per worker per line.")
  boolean json;

  @Override
  int run(PrintWriter out, FlowpayOptions options, FlowpayNode node) {
    QueueReader reader = new QueueReader(node.redis());
    TreeSet<String> ids = new TreeSet<>(options.workers());
    ids.addAll(reader.workerIdsWithStreams().await());
    if (!json) {
      out.printf("%-24s %-6s %7s %7s %8s %7s %6s %5s%n", "WORKER", "ACTIVE", "QUEUED", "RUNNING", "LAG", "CALLS",
          "TIMERS", "DEAD");
    }
    for (String id : ids) {
      print(out, reader.worker(id).await());
    }
    return ExitCodes.OK;
  }

  private void print(PrintWriter out, WorkerStats stats) {
    long live = stats.consumers().stream().filter(WorkerStats.Consumer::live).count();
    if (json) {
      out.println(toJson(stats).encode());
      return;
    }
    out.printf("%-24s %-6s %7d %7d %7.1fs %7d %6d %5d%n", stats.workerId(), live + "/" + stats.consumers().size(),
        stats.queued(), stats.pending(), stats.oldestAgeMs() / 1000.0, stats.callsInFlight(), stats.timers(), stats.dead());
  }

  static JsonObject toJson(WorkerStats stats) {
    List<JsonObject> consumers = stats.consumers().stream().map(consumer -> new JsonObject().put("name", consumer.name())
        .put("pending", consumer.pending()).put("idle_ms", consumer.idleMs()).put("live", consumer.live())).toList();
    return new JsonObject().put("worker_id", stats.workerId()).put("active", stats.active())
        .put("queued", stats.queued()).put("running", stats.pending()).put("lag_ms", stats.oldestAgeMs())
        .put("calls_in_flight", stats.callsInFlight()).put("timers", stats.timers()).put("dead", stats.dead())
        .put("consumers", new JsonArray(consumers));
  }
}
