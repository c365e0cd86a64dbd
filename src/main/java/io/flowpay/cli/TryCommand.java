package io.flowpay.cli;

import io.flowpay.config.FlowpayOptions;
import io.flowpay.failure.FlowpayFailure;
import io.flowpay.flow.Caller;
import io.flowpay.flow.FlowNames;
import io.flowpay.flow.Ids;
import io.flowpay.flow.Reply;
import io.flowpay.flow.RunResult;
import io.flowpay.flow.RunStatus;
import io.flowpay.flow.Task;
import io.flowpay.flowtest.StripeExamples;
import io.flowpay.script.FlowEngine;
import io.flowpay.stripe.StripeResources;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
        + " Stripe calls with their form bodies, dispatches, timers, logs), committing and sending nothing. With"
        + " --answer or --error FLOW runs as a response or error flow. Without FLOW, a prompt (REPL) evaluates flow"
        + " lines read from stdin against the context, keeping its scratch state between lines.%n"
        + "Exit code: 0 when the run succeeded, 1 when it failed, 2 for usage/config errors.")
public final class TryCommand extends ConfiguredCommand {

  @Parameters(index = "0", arity = "0..1", paramLabel = "FLOW", description = "Flow name, e.g. main (runs"
      + " flows/main.js). Without it, an interactive prompt reads flow lines from stdin (a REPL).")
  String flow;

  @Option(names = "--answer", paramLabel = "FIXTURE|JSON", description = "Run FLOW as a response flow with this"
      + " Stripe answer as `response`: a Stripe object name (payment_intent, customer, ...: Stripe's example object)"
      + " or a JSON object.")
  String answer;

  @Option(names = "--error", paramLabel = "JSON", description = "Run FLOW as an error flow with this as `error`:"
      + " Stripe's error object ({\"type\": \"card_error\", \"code\": \"card_declined\"}) or a whole envelope.")
  String error;

  @Option(names = "--carry", paramLabel = "JSON", description = "The `carry` a response or error flow gets (default: null).")
  String carry;

  @Option(names = "--input", defaultValue = "{}", description = "The flow's input as JSON (default: {}).")
  String input;

  @Option(names = "--context", description = "Context whose state the run sees, read from Redis (default: a new,"
      + " empty context; Redis is not needed then).")
  String context;

  @Mixin
  WorkerOption worker;

  @Option(names = "--json", description = "Print the effects as one JSON object.")
  boolean json;

  @Override
  int run(PrintWriter out, FlowpayOptions options) throws IOException {
    String contextId = FlowNames.requireId("--context", context == null ? "try-" + Ids.newId().substring(0, 12) : context);
    if (answer != null && error != null) {
      throw new FlowpayFailure(FlowpayFailure.Kind.BAD_REQUEST, "give --answer (a response flow) or --error (an error"
          + " flow), not both");
    }
    String name = flow == null ? TryRepl.FLOW : FlowNames.require(flow);
    Task task = task(name, worker.forContext(options, contextId), contextId);
    if (flow != null) {
      requireFlowFile(options.flowsDir());
    }
    Map<String, String> state = context == null ? Map.of()
        : withNode(options, node -> node.queue().snapshot(contextId).await().values());
    Duration budget = Duration.ofMillis(options.worker().cpuBudgetMs());
    if (flow == null) {
      return new TryRepl(task, state, context != null, budget, options.worker().scriptLimits(), out).run(in);
    }
    FlowEngine engine = FlowEngine.checking(options.flowsDir(), StripeResources.standard(), budget,
        options.worker().scriptLimits()).placingOver(options.workers());
    RunResult result = engine.run(task, state);
    TryPrinter printer = new TryPrinter(out);
    if (json) {
      printer.json(task, state, result);
    } else {
      printer.text(task, state, context != null, result);
    }
    return result.status() == RunStatus.OK ? ExitCodes.OK : ExitCodes.FAILED;
  }

  /** A main-flow task, or, with {@code --answer}/{@code --error}, a response/error task as a Stripe answer makes it. */
  private Task task(String name, String workerId, String contextId) {
    Object in = CommandSupport.parseInput(input);
    if (answer == null && error == null) {
      return Task.main(name, workerId, contextId, Caller.CLI, in);
    }
    Object carried = carry == null ? null : json("--carry", carry);
    JsonObject request = new JsonObject().put("call_id", "call_try").put("method", "POST").put("path", "/v1/try")
        .put("params", new JsonObject()).put("idempotency_key", null);
    Object bound = answer != null ? answerObject() : errorEnvelope();
    String id = Ids.newId();
    return new Task(id, name, workerId, contextId, Caller.STRIPE, bound, new Reply(answer != null, request, carried), id,
        null, 1, 1, System.currentTimeMillis(), null);
  }

  private JsonObject answerObject() {
    if (answer.strip().startsWith("{")) {
      return json("--answer", answer);
    }
    return StripeExamples.object(answer.strip());
  }

  private JsonObject errorEnvelope() {
    JsonObject given = json("--error", error);
    JsonObject envelope = given.containsKey("error") ? given : new JsonObject().put("error", given);
    if (!envelope.containsKey("http_status")) {
      envelope.put("http_status", "card_error".equals(envelope.getJsonObject("error").getString("type")) ? 402 : 400);
    }
    return envelope.put("outcome_unknown", envelope.getBoolean("outcome_unknown", false));
  }

  private static JsonObject json(String option, String text) {
    Object value;
    try {
      value = Json.decodeValue(text);
    } catch (DecodeException notJson) {
      value = null;
    }
    if (!(value instanceof JsonObject object)) {
      throw new FlowpayFailure(FlowpayFailure.Kind.BAD_REQUEST, option + " must be a JSON object, e.g. "
          + option + " '{\"id\": \"pi_123\", \"status\": \"succeeded\"}'");
    }
    return object;
  }

  private void requireFlowFile(Path dir) {
    if (!Files.exists(dir.resolve(flow + ".js"))) {
      throw new FlowpayFailure(FlowpayFailure.Kind.FLOW_NOT_FOUND,
          "flow '" + flow + "' not found: there is no " + dir.resolve(flow + ".js"));
    }
  }
}
