package io.flowpay.script;

import io.flowpay.flow.Task;
import io.vertx.core.json.JsonObject;

/**
 * {@code metadata[flowpay_worker]}, {@code metadata[flowpay_context]} and {@code metadata[flowpay_call]}:
 * the worker and context of the run that created a Stripe object, so that Stripe's webhook events
 * about it can be routed back to them, and the call that created it, so that a create whose
 * outcome was not known can be found at Stripe (search by metadata) and reconciled. Keys the flow set itself (even to null) are left as they are; a {@code metadata}
 * that is not an object (e.g. {@code ''}, which unsets all) is left alone.
 */
final class RoutingMetadata {

  static final String WORKER = "flowpay_worker";
  static final String CONTEXT = "flowpay_context";
  static final String CALL = "flowpay_call";

  private RoutingMetadata() {}

  static void add(JsonObject params, Task task, String callId) {
    Object current = params.getValue("metadata");
    if (current == null && params.containsKey("metadata") || current != null && !(current instanceof JsonObject)) {
      return;
    }
    JsonObject metadata = current == null ? new JsonObject() : (JsonObject) current;
    if (!metadata.containsKey(WORKER)) {
      metadata.put(WORKER, task.workerId());
    }
    if (!metadata.containsKey(CONTEXT)) {
      metadata.put(CONTEXT, task.contextId());
    }
    if (!metadata.containsKey(CALL)) {
      metadata.put(CALL, callId);
    }
    params.put("metadata", metadata);
  }
}
