package io.flowpay.queue;

import io.flowpay.flow.Call;
import io.flowpay.flow.Delayed;
import io.flowpay.flow.Effects;
import io.flowpay.flow.RunRecord;
import io.flowpay.flow.RunResult;
import io.flowpay.flow.Task;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The argument {@code lua/commit.lua} decodes: a run's effects as ready-made strings, so that Lua
 * only moves text and never re-encodes JSON (its cjson would round large integers).
 */
final class CommitPlan {

  private CommitPlan() {}

  static JsonObject of(RunResult result, RunRecord record) {
    JsonArray set = new JsonArray();
    JsonArray del = new JsonArray();
    JsonArray outbox = new JsonArray();
    JsonArray dispatch = new JsonArray();
    JsonArray timers = new JsonArray();
    if (result.ok()) {
      Effects effects = result.effects();
      for (Map.Entry<String, String> write : effects.writes().entrySet()) {
        if (write.getValue() == null) {
          del.add(write.getKey());
        } else {
          set.add(write.getKey()).add(write.getValue());
        }
      }
      for (Call call : effects.calls()) {
        outbox.add(call.callId()).add(call.toJson().encode());
      }
      for (Task child : effects.dispatches()) {
        dispatch.add(child.encode());
      }
      for (Delayed timer : effects.delayed()) {
        timers.add(timer.delayMs()).add(timer.task().encode());
      }
    }
    int started = outbox.size() / 2 + dispatch.size() + timers.size() / 2;
    return new JsonObject()
        .put("set", set)
        .put("del", del)
        .put("outbox", outbox)
        .put("dispatch", dispatch)
        .put("timers", timers)
        .put("run", record.toJson().encode())
        .put("delta", started - 1)
        .put("failed", !result.ok())
        .put("error", result.error() == null ? "" : result.error().toString())
        .put("now", System.currentTimeMillis());
  }
}
