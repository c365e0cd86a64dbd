package io.flowpay.cli;

import io.flowpay.config.FlowpayOptions;
import io.flowpay.failure.FlowpayFailure;
import io.flowpay.flow.FlowNames;
import io.flowpay.flow.Ids;
import io.flowpay.flow.Task;
import io.flowpay.queue.ChainStatus;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code flowpay run <flow>}: enqueues a main flow to a running service (through Redis) and, with
 * {@code --follow}, prints the chain live until it is settled.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Start FLOW in a context on a worker of a running service; --follow prints the chain until it is settled.%n"
        + "Exit code: 0 when every run succeeded, 1 when a run failed, the chain is stuck (a task parked) or did not settle in time, 2 for usage/config errors.")
public final class RunCommand extends CommandSupport {

  @Parameters(index = "0", paramLabel = "FLOW", description = "Flow name, e.g. main (runs flows/main.js).")
  String flow;

  @Option(names = "--input", defaultValue = "{}", description = "The flow's input as JSON (default: {}).")
  String input;

  @Option(names = "--context", description = "Context id (default: a new one).")
  String context;

  @Option(names = "--worker", description = "Worker id (default: the first in the config's workers).")
  String worker;

  @Option(names = "--follow", description = "Print each run of the chain as it happens, until the chain is settled.")
  boolean follow;

  @Option(names = "--json", description = "Print one JSON object per run and a final summary object.")
  boolean json;

  @Option(names = "--timeout", defaultValue = "300", description = "With --follow: seconds to wait for the chain to settle (default: 300).")
  long timeoutSeconds;

  @Option(names = "--config", description = "Config file (default: conf/flowpay.json if present).")
  Path config;

  public RunCommand(Map<String, String> env) {
    super(env);
  }

  @Override
  int run(PrintWriter out) {
    FlowpayOptions options = options(config, false);
    Task task = Task.main(FlowNames.require(flow), workerId(options, worker), contextId(), "cli", parseInput());
    requireFlowFile(options);
    return withNode(options, node -> {
      node.queue().start(task).await();
      RunPrinter printer = new RunPrinter(out, json);
      if (!follow) {
        printer.summary(new JsonObject().put("task_id", task.taskId()).put("chain_id", task.chainId())
            .put("status", "queued").put("runs", 0L).put("failed", 0L));
        return ExitCodes.OK;
      }
      ChainStatus status = ChainFollower.follow(node, options, task.chainId(), printer, timeoutSeconds * 1000).await();
      printer.summary(ChainFollower.summary(status));
      return status.failed() == 0 && !status.stuck() ? ExitCodes.OK : ExitCodes.FAILED;
    });
  }

  private String contextId() {
    return FlowNames.requireId("--context", context == null ? "ctx-" + Ids.newId().substring(0, 12) : context);
  }

  private Object parseInput() {
    try {
      return Json.decodeValue(input);
    } catch (DecodeException bad) {
      throw new FlowpayFailure(FlowpayFailure.Kind.BAD_REQUEST,
          "--input is not JSON (" + bad.getMessage().lines().findFirst().orElse("") + "): e.g. --input '{\"amount\": 2000}'");
    }
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
