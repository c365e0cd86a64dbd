package io.flowpay.cli;

import io.flowpay.config.FlowpayOptions;
import io.flowpay.failure.FlowpayFailure;
import io.flowpay.flow.Caller;
import io.flowpay.flow.FlowNames;
import io.flowpay.flow.Ids;
import io.flowpay.flow.Task;
import io.flowpay.queue.ChainStatus;
import io.flowpay.queue.QueueReader;
import io.flowpay.queue.WorkerStats;
import io.flowpay.worker.FlowpayNode;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code flowpay run <flow>}: enqueues a main flow to a running service (through Redis) and, with
 * {@code --follow}, prints the chain live until it is settled.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Start FLOW in a context on a worker of a running service; --follow prints the chain until it is settled.%n"
        + "Exit code: 0 when every run succeeded, 1 when a run failed, the chain is stuck (a task parked) or did not settle in time, 2 for usage/config errors.")
public final class RunCommand extends ConfiguredCommand {

  /** How long a worker that reads its stream may take to pick a new task up (a read blocks worker.blockMs, 2 s). */
  static final long PICKUP_MS = 3_000;
  private static final long POLL_NANOS = 200_000_000L;

  @Parameters(index = "0", paramLabel = "FLOW", description = "Flow name, e.g. main (runs flows/main.js).")
  String flow;

  @Option(names = "--input", defaultValue = "{}", description = "The flow's input as JSON (default: {}).")
  String input;

  @Option(names = "--context", description = "Context id (default: a new one).")
  String context;

  @Mixin
  WorkerOption worker;

  @Mixin
  FollowOption follow;

  @Option(names = "--json", description = "Print one JSON object per run and a final summary object.")
  boolean json;

  @Override
  int run(PrintWriter out, FlowpayOptions options) {
    String contextId = contextId();
    Task task = Task.main(FlowNames.require(flow), worker.forContext(options, contextId), contextId, Caller.CLI,
        CommandSupport.parseInput(input));
    requireFlowFile(options);
    return withNode(options, node -> {
      node.queue().start(task).await();
      RunPrinter printer = new RunPrinter(out, json);
      if (!follow.on) {
        printer.summary(new JsonObject().put("task_id", task.taskId()).put("chain_id", task.chainId())
            .put("status", "queued").put("runs", 0L).put("failed", 0L));
        return ExitCodes.OK;
      }
      warnIfUnserved(node, task.workerId());
      ChainStatus status = follow.chain(node, options, task.chainId(), printer);
      printer.summary(ChainFollower.summary(status));
      return status.failed() == 0 && !status.stuck() ? ExitCodes.OK : ExitCodes.FAILED;
    });
  }

  /**
   * A worker nobody serves would leave the chain queued until the timeout: say so within {@link #PICKUP_MS}, on
   * stderr. A worker that took a task lately is serving; otherwise one that is reading its stream takes the new task
   * within its read's block time. (Redis 6.2 refreshes a consumer's idle time only when it is handed tasks, so an idle
   * worker cannot be told from a dead one without giving it something to take.)
   */
  private void warnIfUnserved(FlowpayNode node, String workerId) {
    QueueReader reader = new QueueReader(node.redis());
    long started = System.currentTimeMillis();
    List<WorkerStats.Consumer> consumers = reader.consumers(workerId).await();
    while (consumers.stream().noneMatch(consumer -> consumer.idleMs() < System.currentTimeMillis() - started + 1_000)
        && consumers.stream().noneMatch(WorkerStats.Consumer::live)) {
      if (System.currentTimeMillis() - started > PICKUP_MS) {
        String last = consumers.stream().mapToLong(WorkerStats.Consumer::idleMs).min().stream()
            .mapToObj(idle -> "it last took a task " + idle / 1000 + " s ago").findFirst().orElse("it never took a task");
        PrintWriter err = spec.commandLine().getErr();
        err.printf("flowpay: warning: no worker took the task from worker %s's stream within %d s (%s): the chain waits"
            + " until 'flowpay serve' runs with %s in workers; following for up to %d s%n", workerId, PICKUP_MS / 1000,
            last, workerId, follow.timeoutSeconds);
        err.flush();
        return;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(POLL_NANOS);  // a plain CLI thread, not an event loop
      consumers = reader.consumers(workerId).await();
    }
  }

  private String contextId() {
    return FlowNames.requireId("--context", context == null ? "ctx-" + Ids.newId().substring(0, 12) : context);
  }

  /** When the flows folder is here, a missing flow is caught before anything is enqueued. */
  private void requireFlowFile(FlowpayOptions options) {
    Path dir = options.flowsDir();
    if (Files.isDirectory(dir) && !Files.exists(dir.resolve(flow + ".js"))) {
      throw new FlowpayFailure(FlowpayFailure.Kind.FLOW_NOT_FOUND,
          "flow '" + flow + "' not found: there is no " + dir.resolve(flow + ".js"));
    }
  }
}
