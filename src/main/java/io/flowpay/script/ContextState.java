package io.flowpay.script;

import io.flowpay.flow.Effects;
import io.vertx.core.json.Json;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code ctx} of one run: reads see this run's own writes first, then the snapshot; writes and
 * deletes go to the run's effects. Values are JSON text; an empty string means "no value".
 */
final class ContextState {

  private final Map<String, String> snapshot;
  private final Effects effects;

  ContextState(Map<String, String> snapshot, Effects effects) {
    this.snapshot = snapshot;
    this.effects = effects;
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
    effects.write(key, json);
    return "";
  }

  String del(String key) {
    requireKey("ctx.del", key);
    effects.write(key, null);
    return "";
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
