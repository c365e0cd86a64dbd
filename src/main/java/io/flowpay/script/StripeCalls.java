package io.flowpay.script;

import io.flowpay.config.ScriptLimits;
import io.flowpay.flow.Call;
import io.flowpay.flow.Effects;
import io.flowpay.flow.Ids;
import io.flowpay.flow.Task;
import io.flowpay.stripe.StripeForm;
import io.flowpay.stripe.StripeResources;
import io.flowpay.stripe.StripeResources.Endpoint;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Set;

/**
 * {@code stripe.<resource>.<verb>(...)} and {@code stripe.request(...)} of one run: each records a
 * {@link Call} in the run's effects and returns its call id; nothing is sent here. The n-th call of
 * a task gets the same call id and idempotency key every time the task runs. Calls that create an
 * object with metadata get the run's {@link RoutingMetadata} unless the flow opts out
 * ({@code flowpayMetadata: false}).
 */
final class StripeCalls {

  private static final Set<String> METHODS = Set.of("GET", "POST", "DELETE");

  private record Target(String what, String method, String path, String onSuccess, String onError,
      boolean routingMetadata) {}

  private final StripeResources resources;
  private final Task task;
  private final Effects effects;
  private final ScriptLimits limits;

  StripeCalls(StripeResources resources, Task task, Effects effects) {
    this(resources, task, effects, new ScriptLimits());
  }

  StripeCalls(StripeResources resources, Task task, Effects effects, ScriptLimits limits) {
    this.resources = resources;
    this.task = task;
    this.effects = effects;
    this.limits = limits;
  }

  String call(String resource, String verb, String id, String paramsJson, String optionsJson) {
    String what = "stripe." + resource + "." + verb;
    Endpoint endpoint = resources.find(resource, verb)
        .orElseThrow(() -> ScriptJson.refuse(what + " is not a Stripe call Flowpay knows; use stripe.request"));
    if (endpoint.needsId() && (id == null || id.isEmpty())) {
      throw ScriptJson.refuse(what + ": the id is missing: call " + what + "(id, params, options) with the id as a string");
    }
    return record(new Target(what, endpoint.method(), endpoint.path(id), endpoint.defaultFlow(true),
        endpoint.defaultFlow(false), endpoint.routingMetadata()), paramsJson, optionsJson);
  }

  String request(String method, String path, String paramsJson, String optionsJson) {
    String verb = method == null ? "" : method.toUpperCase(Locale.ROOT);
    if (!METHODS.contains(verb)) {
      throw ScriptJson.refuse("stripe.request: method must be GET, POST or DELETE, got '" + method + "'");
    }
    if (path == null || !path.startsWith("/v1/") || path.contains("..") || !path.matches("[A-Za-z0-9_./%:-]+")) {
      throw ScriptJson.refuse("stripe.request: path must start with /v1/ and hold no query or spaces,"
          + " e.g. '/v1/customers/cus_123/tax_ids', got '" + path + "'");
    }
    return record(new Target("stripe.request", verb, path, "new_request_response", "new_request_error", false),
        paramsJson, optionsJson);
  }

  private String record(Target target, String paramsJson, String optionsJson) {
    if (effects.calls().size() >= limits.maxStripeCallsPerRun()) {
      throw ScriptJson.refuse(target.what() + ": this run already made " + effects.calls().size()
          + " Stripe calls, the most one run may (worker.maxStripeCallsPerRun)");
    }
    ScriptJson.requireDepth(target.what() + ": params", paramsJson, limits.maxValueDepth());
    ScriptJson.requireDepth(target.what() + ": options", optionsJson, limits.maxValueDepth());
    JsonObject params = ScriptJson.object(target.what() + ": params", paramsJson);
    Amounts.check(target.what(), params);
    CallOptions options = CallOptions.parse(target.what(), optionsJson, target.onSuccess(), target.onError());
    int index = effects.calls().size();
    String callId = Ids.callId(task.taskId(), index);
    if (routingMetadata(target, options)) {
      RoutingMetadata.add(params, task, callId);
    }
    String key = options.idempotencyKey() != null ? options.idempotencyKey() : Ids.idempotencyKey(task.taskId(), index);
    effects.call(new Call(callId, target.method(), target.path(), params, key, options.onSuccess(), options.onError(),
        options.carry(), options.stripeAccount(), task, form(params)));
    return callId;
  }

  /** The params as sent, encoded here on the script thread rather than on the event loop that sends them. */
  private static String form(JsonObject params) {
    try {
      return StripeForm.encode(params);
    } catch (RuntimeException unencodable) {
      return null; // the sender tries again and reports the call as not sent, as for any call it cannot build
    }
  }

  private static boolean routingMetadata(Target target, CallOptions options) {
    if (options.flowpayMetadata() == null) {
      return target.routingMetadata();
    }
    if (options.flowpayMetadata() && !target.method().equals("POST")) {
      throw ScriptJson.refuse(target.what() + ": option 'flowpayMetadata' only applies to POST calls (metadata"
          + " cannot be sent with " + target.method() + ")");
    }
    return options.flowpayMetadata();
  }
}
