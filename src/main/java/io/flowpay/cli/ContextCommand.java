package io.flowpay.cli;

import io.flowpay.config.FlowpayOptions;
import io.flowpay.flow.FlowNames;
import io.flowpay.queue.QueueReader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flowpay context <id>}: a context's state and its recent runs. */
@Command(name = "context", mixinStandardHelpOptions = true,
    description = "A context's current state and its most recent runs (newest last).%n"
        + "Exit code: 0 when the context has state or runs, 1 when it has neither, 2 for usage/config errors.")
public final class ContextCommand extends ConfiguredCommand {

  @Parameters(index = "0", paramLabel = "CONTEXT_ID", description = "Context id, e.g. order-o1.")
  String contextId;

  @Option(names = "--limit", defaultValue = "20", description = "Runs to show (default: ${DEFAULT-VALUE}, at most 1000).")
  int limit;

  @Option(names = "--json", description = "One JSON object: {context_id, state, runs (newest first)}.")
  boolean json;

  public ContextCommand(Map<String, String> env) {
    super(env);
  }

  @Override
  int run(PrintWriter out, FlowpayOptions options) {
    String id = FlowNames.requireId("CONTEXT_ID", contextId);
    return withNode(options, node -> {
      JsonObject state = node.queue().contextState(id).await();
      List<JsonObject> runs = new QueueReader(node.redis()).contextRuns(id, Math.max(1, Math.min(limit, 1000))).await();
      if (state.isEmpty() && runs.isEmpty()) {
        return fail("no context '" + id + "': it has no state and no runs (is REDIS_URL the service's?)", ExitCodes.FAILED);
      }
      if (json) {
        out.println(new JsonObject().put("context_id", id).put("state", state).put("runs", new JsonArray(runs)).encode());
        return ExitCodes.OK;
      }
      out.println("context " + id + " state:");
      out.println(state.encodePrettily());
      out.println(runs.size() + " most recent run(s):");
      RunPrinter printer = new RunPrinter(out, false);
      for (int i = runs.size() - 1; i >= 0; i--) {
        printer.line(runs.get(i));
      }
      return ExitCodes.OK;
    });
  }
}
