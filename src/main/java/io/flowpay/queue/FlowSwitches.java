package io.flowpay.queue;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A flow's failure streak and its switch: a flow whose runs fail too often in a row because it cannot
 * run is disabled by {@code commit.lua}; an operator enables it again. Each worker keeps its own streak and
 * switch (in its slot, so that a commit checks and writes them atomically): a flow that cannot run is
 * disabled on each worker that runs it, after that many failed runs there. What operators see is all
 * workers' together: disabled when any worker disabled it, and enabling clears it on every worker.
 */
public final class FlowSwitches {

  private final Redis redis;

  FlowSwitches(QueueScope scope) {
    this.redis = scope.redis();
  }

  /** The flow's failure streak and, once disabled, when and why: what {@code flowpay flow list} shows. */
  public Future<Map<String, String>> flowState(String flow) {
    return new QueueReader(redis).workerIds().compose(workers -> states(redis, flow, workers));
  }

  /** The flow's state on one worker (and in the layout before): whether a run started there would run. */
  public Future<Map<String, String>> flowState(String flow, String worker) {
    return states(redis, flow, List.of(worker));
  }

  /**
   * The flow's state over {@code workers} and the layout before: disabled (the latest {@code disabled_at}) when
   * any disabled it, the longest streak, and the latest failure's error.
   */
  static Future<Map<String, String>> states(Redis redis, String flow, List<String> workers) {
    List<String> keys = new ArrayList<>(List.of(RedisKeys.legacyFlow(flow)));
    workers.forEach(worker -> keys.add(RedisKeys.flow(worker, flow)));
    return QueueReader.each(keys, key -> redis.send(Request.cmd(Command.HGETALL).arg(key)).map(Fields::toMap))
        .map(states -> {
      Map<String, String> merged = new HashMap<>();
      for (Map<String, String> state : states) {
        latest(merged, state, "disabled_at");
        if (latest(merged, state, "last_failed_at")) {
          merged.put("last_error", state.get("last_error"));
        }
        for (String count : List.of("failures", "broken")) {
          if (state.containsKey(count) && Long.parseLong(state.get(count))
              > Long.parseLong(merged.getOrDefault(count, "0"))) {
            merged.put(count, state.get(count));
          }
        }
      }
      return merged;
    });
  }

  private static boolean latest(Map<String, String> merged, Map<String, String> state, String field) {
    String value = state.get(field);
    if (value != null && (!merged.containsKey(field) || Long.parseLong(value) > Long.parseLong(merged.get(field)))) {
      merged.put(field, value);
      return true;
    }
    return false;
  }

  /** Re-enables a disabled flow on every worker and clears its failure streaks. Returns false when it was not disabled. */
  public Future<Boolean> enableFlow(String flow) {
    return new QueueReader(redis).workerIds().compose(workers -> {
      List<String> keys = new ArrayList<>(List.of(RedisKeys.legacyFlow(flow)));
      workers.forEach(worker -> keys.add(RedisKeys.flow(worker, flow)));
      return QueueReader.each(keys, key -> redis.send(Request.cmd(Command.HDEL).arg(key)
          .arg("disabled_at").arg("failures").arg("broken")).map(response -> response.toInteger() > 0))
          .map(cleared -> cleared.contains(true));
    });
  }

  /** Why a task of a disabled flow does not run, with the fix. */
  static String disabled(String flow, String lastError) {
    return "flow " + flow + " is disabled: it could not run too many times in a row (last error: "
        + (lastError == null || lastError.isEmpty() ? "unknown" : lastError) + "); its tasks wait in the dead-letter"
        + " stream: fix it and run 'flowpay flow enable " + flow + "', which queues them again";
  }
}
