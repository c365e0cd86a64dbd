package io.flowpay.cli;

import io.flowpay.flow.Call;
import io.flowpay.flow.Delayed;
import io.flowpay.flow.Effects;
import io.flowpay.flow.LogLine;
import io.flowpay.flow.RunResult;
import io.flowpay.flow.Task;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.Map;

/** What {@code flowpay try} prints: the effects of one run that nothing commits. */
final class TryPrinter {

  private final PrintWriter out;

  TryPrinter(PrintWriter out) {
    this.out = out;
  }

  void text(Task task, Map<String, String> state, boolean fromRedis, RunResult result) {
    out.printf("try %s in context %s on worker %s (%s); nothing is committed or sent%n", task.flow(), task.contextId(),
        task.workerId(), fromRedis ? "state read from Redis: " + state.size() + " key(s)" : "a new, empty context");
    out.printf("%s in %.1f ms%n", result.status().name().toLowerCase(), result.durationMicros() / 1000.0);
    if (result.error() != null) {
      out.printf("error    %s: %s:%d: %s%n", result.error().code(), result.error().file(), result.error().line(),
          result.error().message());
    }
    Effects effects = result.effects();
    effects.writes().forEach((key, value) -> out.printf(value == null ? "state    del %s%n" : "state    set %s = %s%n",
        key, value));
    for (Call call : effects.calls()) {
      out.printf("call     %s %s -> %s | %s%s%n", call.method(), call.path(), call.onSuccess(), call.onError(),
          call.stripeAccount() == null ? "" : " (Stripe-Account " + call.stripeAccount() + ")");
      out.printf("         %s %s%n", call.method().equals("POST") ? "body" : "query", call.form());
    }
    for (Task dispatched : effects.dispatches()) {
      out.printf("dispatch %s %s worker=%s context=%s%n", dispatched.flow(), dispatched.inputJson(),
          dispatched.workerId(), dispatched.contextId());
    }
    for (Delayed timer : effects.delayed()) {
      out.printf("after    %d ms %s %s worker=%s context=%s%n", timer.delayMs(), timer.task().flow(),
          timer.task().inputJson(), timer.task().workerId(), timer.task().contextId());
    }
    for (LogLine line : effects.logs()) {
      out.printf("log      %-5s %s%n", line.level(), line.message());
    }
  }

  void json(Task task, Map<String, String> state, RunResult result) {
    Effects effects = result.effects();
    JsonObject writes = new JsonObject();
    effects.writes().forEach((key, value) -> writes.put(key, value == null ? null : Json.decodeValue(value)));
    JsonArray calls = new JsonArray();
    effects.calls().forEach(call -> calls.add(call.request().put("form", call.form()).put("on_success", call.onSuccess())
        .put("on_error", call.onError()).put("carry", call.carry()).put("stripe_account", call.stripeAccount())));
    JsonArray dispatches = new JsonArray();
    effects.dispatches().forEach(dispatched -> dispatches.add(planned(dispatched)));
    JsonArray timers = new JsonArray();
    effects.delayed().forEach(timer -> timers.add(planned(timer.task()).put("delay_ms", timer.delayMs())));
    JsonArray logs = new JsonArray();
    effects.logs().forEach(line -> logs.add(new JsonObject().put("level", line.level()).put("message", line.message())));
    out.println(new JsonObject().put("flow", task.flow()).put("worker_id", task.workerId())
        .put("context_id", task.contextId()).put("state_keys", state.size())
        .put("status", result.status().name().toLowerCase())
        .put("error", result.error() == null ? null : result.error().toJson()).put("writes", writes).put("calls", calls)
        .put("dispatches", dispatches).put("timers", timers).put("logs", logs).encode());
  }

  private static JsonObject planned(Task task) {
    return new JsonObject().put("flow", task.flow()).put("input", task.input()).put("worker_id", task.workerId())
        .put("context_id", task.contextId());
  }
}
