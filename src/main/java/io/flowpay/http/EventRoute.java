package io.flowpay.http;

import io.flowpay.flow.FlowNames;
import io.vertx.core.json.JsonObject;

/**
 * Where a Stripe event runs: flow {@code on_<type with dots as underscores>}, on the worker and in
 * the context named by the object's {@code metadata[flowpay_worker]} / {@code metadata[flowpay_context]}
 * (set on objects Flowpay creates), else on the default worker and in the context named by the
 * object's id (the event's id for an object without one).
 *
 * @param problem why the event cannot run, null when it can
 */
record EventRoute(String flow, String workerId, String contextId, String problem) {

  static final String WORKER_KEY = "flowpay_worker";
  static final String CONTEXT_KEY = "flowpay_context";

  static EventRoute of(JsonObject event, String defaultWorker) {
    return of(event, context -> defaultWorker);
  }

  /** @param defaultWorker the worker of a context when the object's metadata names none */
  static EventRoute of(JsonObject event, java.util.function.UnaryOperator<String> defaultWorker) {
    String type = event.getString("type");
    String flow = "on_" + type.replace('.', '_');
    if (!FlowNames.isValid(flow)) {
      return unroutable(flow, "event type '" + type + "' does not make a valid flow name");
    }
    JsonObject object = object(event);
    JsonObject metadata = object.getValue("metadata") instanceof JsonObject json ? json : new JsonObject();
    String context = text(metadata.getValue(CONTEXT_KEY), text(object.getValue("id"), event.getString("id")));
    if (!FlowNames.isValidId(context)) {
      return unroutable(flow, "context '" + context + "' (from metadata[" + CONTEXT_KEY + "] or the object's id)"
          + " is not a valid context id");
    }
    String worker = text(metadata.getValue(WORKER_KEY), defaultWorker.apply(context));
    if (!FlowNames.isValidId(worker)) {
      return unroutable(flow, "metadata[" + WORKER_KEY + "] '" + worker + "' is not a valid worker id");
    }
    return new EventRoute(flow, worker, context, null);
  }

  boolean runnable() {
    return problem == null;
  }

  private static EventRoute unroutable(String flow, String problem) {
    return new EventRoute(flow, null, null, problem);
  }

  private static JsonObject object(JsonObject event) {
    Object data = event.getValue("data");
    Object object = data instanceof JsonObject json ? json.getValue("object") : null;
    return object instanceof JsonObject json ? json : new JsonObject();
  }

  private static String text(Object value, String fallback) {
    return value instanceof String text && !text.isEmpty() ? text : fallback;
  }
}
