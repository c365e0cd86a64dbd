package io.flowpay.script;

import io.flowpay.config.ScriptLimits;
import io.flowpay.failure.FlowpayFailure;
import io.flowpay.flow.Caller;
import io.flowpay.flow.Effects;
import io.flowpay.flow.FlowNames;
import io.flowpay.flow.Placement;
import io.flowpay.flow.Task;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * {@code flow.dispatch(name, input[, {worker, context}])}: a child task of the running task, and
 * {@code flow.after(ms, name, input[, {worker, context}])}: the same, due {@code ms} later. A run
 * dispatches at most {@link ScriptLimits#maxDispatchesPerRun()} tasks, and only into contexts of its own
 * namespace (the part of a context id before its first {@code :}; ids without one share the namespace
 * {@code ""}) unless {@link ScriptLimits#crossNamespaceDispatch()} allows any.
 */
final class Dispatches {

  /** The longest delay {@code flow.after} takes: 30 days. */
  static final long MAX_DELAY_MS = 30L * 24 * 3600 * 1000;
  private static final List<String> OPTIONS = List.of("worker", "context");

  private final Task task;
  private final Effects effects;
  private final ScriptLimits limits;
  private final List<String> placement;

  Dispatches(Task task, Effects effects) {
    this(task, effects, new ScriptLimits(), List.of());
  }

  /**
   * @param placement the worker ids a context is placed over ({@link Placement}): a task for another context
   *     that names no worker goes to that context's worker, as the API, the CLI and webhooks would send it (empty:
   *     it stays on this task's worker)
   */
  Dispatches(Task task, Effects effects, ScriptLimits limits, List<String> placement) {
    this.task = task;
    this.effects = effects;
    this.limits = limits;
    this.placement = placement;
  }

  /** The namespace of a context id: the part before its first {@code :}, or {@code ""} when it has none. */
  static String namespace(String contextId) {
    int colon = contextId.indexOf(':');
    return colon < 0 ? "" : contextId.substring(0, colon);
  }

  /** Records the child task and returns its id. */
  String dispatch(String flow, String inputJson, String optionsJson) {
    Task child = child("flow.dispatch", Caller.FLOW, flow, inputJson, optionsJson);
    effects.dispatch(child);
    return child.taskId();
  }

  /** Records a child task due {@code ms} from the commit, and returns its id. */
  String after(String ms, String flow, String inputJson, String optionsJson) {
    long delay = delay(ms);
    Task child = child("flow.after", Caller.TIMER, flow, inputJson, optionsJson);
    effects.after(delay, child);
    return child.taskId();
  }

  private Task child(String what, Caller caller, String flow, String inputJson, String optionsJson) {
    int made = effects.dispatches().size() + effects.delayed().size();
    if (made >= limits.maxDispatchesPerRun()) {
      throw ScriptJson.refuse(what + ": this run already dispatched " + made + " tasks, the most one run may"
          + " (worker.maxDispatchesPerRun)");
    }
    ScriptJson.requireDepth(what + ": input", inputJson, limits.maxValueDepth());
    ScriptJson.requireDepth(what + ": options", optionsJson, limits.maxValueDepth());
    JsonObject options = ScriptJson.options(what, optionsJson, OPTIONS);
    String context = orDefault(ScriptJson.string(what, options, "context"), task.contextId());
    String worker = orDefault(ScriptJson.string(what, options, "worker"), placed(context));
    try {
      FlowNames.require(flow);
      FlowNames.requireId("worker", worker);
      FlowNames.requireId("context", context);
    } catch (FlowpayFailure invalid) {
      throw ScriptJson.refuse(what + ": " + invalid.getMessage());
    }
    requireNamespace(what, context);
    return task.child(flow, worker, context, caller, ScriptJson.value(what + ": input", inputJson), null);
  }

  /** The worker a task for {@code context} goes to when the flow names none: its context's. */
  private String placed(String context) {
    return context.equals(task.contextId()) || placement.isEmpty() || !FlowNames.isValidId(context) ? task.workerId()
        : Placement.workerFor(context, placement);
  }

  private void requireNamespace(String what, String context) {
    String own = namespace(task.contextId());
    if (!limits.crossNamespaceDispatch() && !namespace(context).equals(own)) {
      throw ScriptJson.refuse(what + ": context '" + context + "' is outside this flow's namespace '" + own
          + "' (context '" + task.contextId() + "'): a flow dispatches only into contexts whose id starts with the"
          + " same part before the first ':' (ids without ':' share one namespace); set"
          + " worker.crossNamespaceDispatch to true to allow any");
    }
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
