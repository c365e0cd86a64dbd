package io.flowpay.cli;

import io.flowpay.config.FlowpayOptions;
import io.flowpay.failure.FlowpayFailure;
import io.flowpay.flow.FlowNames;
import io.flowpay.queue.FlowHealth;
import io.flowpay.queue.FlowStore;
import io.flowpay.queue.RedisTaskQueue;
import io.flowpay.worker.FlowpayNode;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code flowpay flow status|enable <name>}: a flow that could not run (missing file, syntax error)
 * {@code worker.disableAfterFailures} times in a row is disabled (its tasks wait in the dead-letter
 * stream); an operator re-enables it once fixed, which queues its waiting tasks again.
 */
@Command(name = "flow", mixinStandardHelpOptions = true,
    description = "Every flow file with its health: ok, failing or disabled, and its last error (list); a flow's failure"
        + " streak and whether it is disabled (status); re-enable a disabled flow (enable)."
        + " Enabling queues again the tasks parked while it was disabled (on the config's workers).%n"
        + "Exit code: 0 on success, 1 when 'enable' finds the flow not disabled or Redis fails, 2 for usage/config errors"
        + " and a flow name with no file, no upload and nothing recorded.")
public final class FlowCommand extends RedisCommand {

  enum Action { list, status, enable }

  @Parameters(index = "0", paramLabel = "ACTION", description = "list, status or enable.")
  Action action;

  @Parameters(index = "1", arity = "0..1", paramLabel = "FLOW",
      description = "Flow name, e.g. new_create_payment_intent_response (status and enable).")
  String flow;

  @Option(names = "--json", description = "list: one JSON object per flow per line.")
  boolean json;

  @Override
  void check(FlowpayOptions options) {
    if (action == Action.list && flow != null) {
      throw new FlowpayFailure(FlowpayFailure.Kind.BAD_REQUEST, "'flow list' takes no flow name");
    }
    if (action != Action.list && flow == null) {
      throw new FlowpayFailure(FlowpayFailure.Kind.BAD_REQUEST, "'flow " + action + "' needs a flow name: see 'flowpay flow list'");
    }
    if (flow != null) {
      FlowNames.require(flow);
    }
  }

  @Override
  int run(PrintWriter out, FlowpayOptions options, FlowpayNode node) {
    if (action != Action.list) {
      requireKnown(options, node);
    }
    return switch (action) {
      case list -> list(out, FlowHealth.list(node.redis(), options.flowsDir()).await(), options);
      case enable -> enable(out, options, node.queue());
      case status -> status(out, node.queue());
    };
  }

  /**
   * A name with no file, no uploaded version and nothing recorded is a typo, not a healthy flow: says so
   * instead of reporting it "not disabled".
   */
  private void requireKnown(FlowpayOptions options, FlowpayNode node) {
    if (Files.isRegularFile(options.flowsDir().resolve(flow + ".js"))
        || new FlowStore(node.redis()).current().await().containsKey(flow)
        || !node.queue().flowState(flow).await().isEmpty()) {
      return;
    }
    throw new FlowpayFailure(FlowpayFailure.Kind.FLOW_NOT_FOUND, "no flow named '" + flow + "': no file " + flow
        + ".js in " + options.flowsDir() + ", none uploaded and nothing recorded for it; see 'flowpay flow list'");
  }

  private int enable(PrintWriter out, FlowpayOptions options, RedisTaskQueue queue) {
    boolean enabled = queue.enableFlow(flow).await();
    out.println(enabled ? "flow " + flow + " enabled" : "flow " + flow + " was not disabled");
    int queued = 0;
    for (String worker : options.workers()) {
      queued += queue.retryParkedWhileDisabled(worker, flow, "flow enable").await();
    }
    if (queued > 0) {
      out.println(queued + " task(s) of " + flow + " parked while it was disabled are queued again");
    }
    return enabled || queued > 0 ? ExitCodes.OK : ExitCodes.FAILED;
  }

  private int status(PrintWriter out, RedisTaskQueue queue) {
    Map<String, String> state = queue.flowState(flow).await();
    JsonObject status = new JsonObject().put("flow", flow)
        .put("disabled", state.containsKey("disabled_at"))
        .put("failures_in_a_row", Long.parseLong(state.getOrDefault("failures", "0")));
    state.forEach((key, value) -> {
      if (!key.equals("failures")) {
        status.put(key, Times.readable(key, value));
      }
    });
    out.println(status.encodePrettily());
    return ExitCodes.OK;
  }

  private int list(PrintWriter out, List<JsonObject> flows, FlowpayOptions options) {
    if (json) {
      flows.forEach(health -> out.println(health.encode()));
      return ExitCodes.OK;
    }
    if (flows.isEmpty()) {
      out.println("no flows in " + options.flowsDir());
      return ExitCodes.OK;
    }
    out.printf("%-44s %-9s %s%n", "FLOW", "STATUS", "LAST ERROR");
    for (JsonObject health : flows) {
      String error = health.getString("last_error");
      Long at = health.getLong("last_failed_at");
      out.printf("%-44s %-9s %s%n", health.getString("flow"), health.getString("status"),
          error == null ? "-" : (at == null ? "" : Times.iso(at) + " ") + error);
    }
    return ExitCodes.OK;
  }
}
