package io.flowpay.script;

import io.flowpay.failure.FlowpayFailure;
import io.flowpay.flow.Effects;
import io.flowpay.flow.FlowNames;
import io.flowpay.flow.Task;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * {@code flow.dispatch(name, input[, {worker, context}])}: a child task of the running task, and
 * {@code flow.after(ms, name, input[, {worker, context}])}: the same, due {@code ms} later.
 */
final class Dispatches {

  /** The longest delay {@code flow.after} takes: 30 days. */
  static final long MAX_DELAY_MS = 30L * 24 * 3600 * 1000;
  private static final List<String> OPTIONS = List.of("worker", "context");

  private final Task task;
  private final Effects effects;

  Dispatches(Task task, Effects effects) {
    this.task = task;
    this.effects = effects;
  }

  /** Records the child task and returns its id. */
  String dispatch(String flow, String inputJson, String optionsJson) {
    Task child = child("flow.dispatch", "flow", flow, inputJson, optionsJson);
    effects.dispatch(child);
    return child.taskId();
  }

  /** Records a child task due {@code ms} from the commit, and returns its id. */
  String after(String ms, String flow, String inputJson, String optionsJson) {
    long delay = delay(ms);
    Task child = child("flow.after", "timer", flow, inputJson, optionsJson);
    effects.after(delay, child);
    return child.taskId();
  }

  private Task child(String what, String caller, String flow, String inputJson, String optionsJson) {
    JsonObject options = ScriptJson.options(what, optionsJson, OPTIONS);
    String worker = orDefault(ScriptJson.string(what, options, "worker"), task.workerId());
    String context = orDefault(ScriptJson.string(what, options, "context"), task.contextId());
    try {
      FlowNames.require(flow);
      FlowNames.requireId("worker", worker);
      FlowNames.requireId("context", context);
    } catch (FlowpayFailure invalid) {
      throw ScriptJson.refuse(what + ": " + invalid.getMessage());
    }
    return task.child(flow, worker, context, caller, ScriptJson.value(what + ": input", inputJson), null);
  }

  private static long delay(String ms) {
    double value;
    try {
      value = Double.parseDouble(String.valueOf(ms));
    } catch (NumberFormatException e) {
      value = Double.NaN;
    }
    if (!(value >= 0 && value <= MAX_DELAY_MS) || value != Math.rint(value)) {
      throw ScriptJson.refuse("flow.after: the delay must be a whole number of milliseconds from 0 to "
          + MAX_DELAY_MS + " (30 days), got " + ms);
    }
    return (long) value;
  }

  private static String orDefault(String value, String fallback) {
    return value == null ? fallback : value;
  }
}
