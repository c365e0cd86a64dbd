package io.flowpay.script;

import io.flowpay.failure.FlowpayFailure;
import io.flowpay.flow.Effects;
import io.flowpay.flow.FlowNames;
import io.flowpay.flow.Task;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** {@code flow.dispatch(name, input[, {worker, context}])}: a child task of the running task. */
final class Dispatches {

  private static final String WHAT = "flow.dispatch";
  private static final List<String> OPTIONS = List.of("worker", "context");

  private final Task task;
  private final Effects effects;

  Dispatches(Task task, Effects effects) {
    this.task = task;
    this.effects = effects;
  }

  /** Records the child task and returns its id. */
  String dispatch(String flow, String inputJson, String optionsJson) {
    JsonObject options = ScriptJson.options(WHAT, optionsJson, OPTIONS);
    String worker = orDefault(ScriptJson.string(WHAT, options, "worker"), task.workerId());
    String context = orDefault(ScriptJson.string(WHAT, options, "context"), task.contextId());
    try {
      FlowNames.require(flow);
      FlowNames.requireId("worker", worker);
      FlowNames.requireId("context", context);
    } catch (FlowpayFailure invalid) {
      throw ScriptJson.refuse(WHAT + ": " + invalid.getMessage());
    }
    Task child = task.child(flow, worker, context, "flow", ScriptJson.value(WHAT + ": input", inputJson), null);
    effects.dispatch(child);
    return child.taskId();
  }

  private static String orDefault(String value, String fallback) {
    return value == null ? fallback : value;
  }
}
