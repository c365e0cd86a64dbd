package io.flowpay.cli;

import io.flowpay.config.FlowpayOptions;
import io.flowpay.flow.FlowNames;
import io.flowpay.queue.QueueReader;
import io.flowpay.worker.FlowpayNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flowpay context <id>}: a context's state and its recent runs. */
@Command(name = "context", mixinStandardHelpOptions = true,
    description = "A context's current state and its most recent runs (newest last).%n"
        + "Exit code: 0 when the context has state or runs, 1 when it has neither, 2 for usage/config errors.")
public final class ContextCommand extends RedisCommand {

  @Parameters(index = "0", paramLabel = "CONTEXT_ID", description = "Context id, e.g. order-o1.")
  String contextId;

  @Option(names = "--limit", defaultValue = "20", description = "Runs to show (default: ${DEFAULT-VALUE}, at most 1000).")
  int limit;

  @Option(names = "--json", description = "One JSON object: {context_id, state, runs (newest first)}.")
  boolean json;

  @Override
  void check(FlowpayOptions options) {
    FlowNames.requireId("CONTEXT_ID", contextId);
  }

  @Override
  int run(PrintWriter out, FlowpayOptions options, FlowpayNode node) {
    JsonObject state = node.queue().contextState(contextId).await();
    List<JsonObject> runs = new QueueReader(node.redis()).contextRuns(contextId, Math.max(1, Math.min(limit, 1000))).await();
    if (state.isEmpty() && runs.isEmpty()) {
      return fail("no context '" + contextId + "': it has no state and no runs (is REDIS_URL the service's?)", ExitCodes.FAILED);
    }
    if (json) {
      out.println(new JsonObject().put("context_id", contextId).put("state", state).put("runs", new JsonArray(runs)).encode());
      return ExitCodes.OK;
    }
    out.println("context " + contextId + " state:");
    out.println(state.encodePrettily());
    out.println(runs.size() + " most recent run(s):");
    RunPrinter printer = new RunPrinter(out, false);
    for (int i = runs.size() - 1; i >= 0; i--) {
      printer.line(runs.get(i));
    }
    return ExitCodes.OK;
  }
}
