package io.flowpay.cli;

import io.flowpay.config.FlowpayOptions;
import io.flowpay.failure.FlowpayFailure;
import io.flowpay.flow.Caller;
import io.flowpay.flow.FlowNames;
import io.flowpay.flow.Ids;
import io.flowpay.flow.RunResult;
import io.flowpay.flow.RunStatus;
import io.flowpay.flow.Task;
import io.flowpay.script.FlowEngine;
import io.flowpay.stripe.StripeResources;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code flowpay try <flow>}: a dry run. Runs one flow, as a main flow, against the current state of a
 * context (read from Redis; an empty context when {@code --context} is not given) with the same engine,
 * sandbox and check as {@code serve}, and prints the effects a commit would write: state writes, calls
 * with the form bodies that would be sent, dispatches, timers, log lines. Commits nothing, sends nothing.
 */
@Command(name = "try", mixinStandardHelpOptions = true,
    description = "Run FLOW once against a context's current state and print what it would commit (state writes,"
        + " Stripe calls with their form bodies, dispatches, timers, logs), committing and sending nothing.%n"
        + "Exit code: 0 when the run succeeded, 1 when it failed, 2 for usage/config errors.")
public final class TryCommand extends CommandSupport {

  @Parameters(index = "0", paramLabel = "FLOW", description = "Flow name, e.g. main (runs flows/main.js).")
  String flow;

  @Option(names = "--input", defaultValue = "{}", description = "The flow's input as JSON (default: {}).")
  String input;

  @Option(names = "--context", description = "Context whose state the run sees, read from Redis (default: a new,"
      + " empty context; Redis is not needed then).")
  String context;

  @Option(names = "--worker", description = "Worker id the run is on (default: the first in the config's workers).")
  String worker;

  @Option(names = "--json", description = "Print the effects as one JSON object.")
  boolean json;

  @Option(names = "--config", description = "Config file (default: conf/flowpay.json if present).")
  Path config;

  public TryCommand(Map<String, String> env) {
    super(env);
  }

  @Override
  int run(PrintWriter out) {
    FlowpayOptions options = options(config, false);
    String contextId = FlowNames.requireId("--context", context == null ? "try-" + Ids.newId().substring(0, 12) : context);
    Task task = Task.main(FlowNames.require(flow), workerFor(options, worker, contextId), contextId, Caller.CLI, CommandSupport.parseInput(input));
    requireFlowFile(options.flowsDir());
    Map<String, String> state = context == null ? Map.of()
        : withNode(options, node -> node.queue().snapshot(contextId).await().values());
    FlowEngine engine = FlowEngine.checking(options.flowsDir(), StripeResources.standard(),
        Duration.ofMillis(options.worker().cpuBudgetMs()), options.worker().scriptLimits());
    RunResult result = engine.run(task, state);
    TryPrinter printer = new TryPrinter(out);
    if (json) {
      printer.json(task, state, result);
    } else {
      printer.text(task, state, context != null, result);
    }
    return result.status() == RunStatus.OK ? ExitCodes.OK : ExitCodes.FAILED;
  }

  private void requireFlowFile(Path dir) {
    if (!Files.exists(dir.resolve(flow + ".js"))) {
      throw new FlowpayFailure(FlowpayFailure.Kind.FLOW_NOT_FOUND,
          "flow '" + flow + "' not found: there is no " + dir.resolve(flow + ".js"));
    }
  }
}
