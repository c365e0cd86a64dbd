package io.flowpay.script;

import io.flowpay.config.ScriptLimits;
import io.flowpay.flow.Effects;
import io.vertx.core.json.Json;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code ctx} of one run: reads see this run's own writes first, then the snapshot; writes and
 * deletes go to the run's effects. Values are JSON text; an empty string means "no value". A write
 * past {@link ScriptLimits} (one value's size, the whole state's size, nesting) is refused.
 */
final class ContextState {

  private final Map<String, String> snapshot;
  private final Effects effects;
  private final ScriptLimits limits;
  /** Bytes of the state as this run sees it (keys and values), measured at the first write; -1 before. */
  private long stateBytes = -1;

  ContextState(Map<String, String> snapshot, Effects effects) {
    this(snapshot, effects, new ScriptLimits());
  }

  ContextState(Map<String, String> snapshot, Effects effects, ScriptLimits limits) {
    this.snapshot = snapshot;
    this.effects = effects;
    this.limits = limits;
  }

  String get(String key) {
    requireKey("ctx.get", key);
    String json = effects.writes().containsKey(key) ? effects.writes().get(key) : snapshot.get(key);
    return json == null ? "" : json;
  }

  String set(String key, String json) {
    requireKey("ctx.set", key);
    if (json == null) {
      throw ScriptJson.refuse("ctx.set('" + key + "'): the value is missing; use ctx.del('" + key + "') to delete");
    }
    String what = "ctx.set('" + key + "')";
    ScriptJson.requireDepth(what + ": the value", json, limits.maxValueDepth());
    long bytes = ScriptJson.utf8Length(json);
    if (bytes > limits.maxStateValueBytes()) {
      throw ScriptJson.refuse(what + ": the value is " + bytes + " bytes as JSON, more than the "
          + limits.maxStateValueBytes() + " one value may hold (worker.maxStateValueBytes)");
    }
    long before = entryBytes(key, current(key));
    long after = entryBytes(key, json);
    long total = stateBytes() - before + after;
    if (after > before && total > limits.maxStateBytes()) {
      throw ScriptJson.refuse(what + ": the context's state would be " + total + " bytes, more than the "
          + limits.maxStateBytes() + " a context may hold (worker.maxStateBytes): delete keys it no longer needs");
    }
    stateBytes = total;
    effects.write(key, json);
    return "";
  }

  String del(String key) {
    requireKey("ctx.del", key);
    if (stateBytes >= 0) {
      stateBytes -= entryBytes(key, current(key));
    }
    effects.write(key, null);
    return "";
  }

  private String current(String key) {
    return effects.writes().containsKey(key) ? effects.writes().get(key) : snapshot.get(key);
  }

  private long stateBytes() {
    if (stateBytes < 0) {
      long total = 0;
      for (Map.Entry<String, String> entry : snapshot.entrySet()) {
        if (isKey(entry.getKey()) && !effects.writes().containsKey(entry.getKey())) {
          total += entryBytes(entry.getKey(), entry.getValue());
        }
      }
      for (Map.Entry<String, String> write : effects.writes().entrySet()) {
        total += entryBytes(write.getKey(), write.getValue());
      }
      stateBytes = total;
    }
    return stateBytes;
  }

  private static long entryBytes(String key, String json) {
    return json == null ? 0 : ScriptJson.utf8Length(key) + ScriptJson.utf8Length(json);
  }

  /** The snapshot merged with this run's writes and deletes, as one JSON object. */
  String all() {
    Map<String, String> merged = new TreeMap<>();
    snapshot.forEach((key, json) -> {
      if (isKey(key) && json != null) {
        merged.put(key, json);
      }
    });
    effects.writes().forEach((key, json) -> {
      if (json == null) {
        merged.remove(key);
      } else {
        merged.put(key, json);
      }
    });
    StringBuilder text = new StringBuilder("{");
    merged.forEach((key, json) -> text.append(text.length() > 1 ? "," : "").append(Json.encode(key)).append(':').append(json));
    return text.append('}').toString();
  }

  private static boolean isKey(String key) {
    return key != null && !key.isEmpty() && !key.startsWith("_");
  }

  private static void requireKey(String what, String key) {
    if (!isKey(key)) {
      throw ScriptJson.refuse(what + ": key '" + key + "' is not valid: use a non-empty string that does not start"
          + " with '_' (those are Flowpay's own)");
    }
  }
}
