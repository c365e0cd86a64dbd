package io.flowpay.queue;

import java.util.HashMap;
import java.util.Map;

/**
 * A context's state as one run sees it, and the version the run's commit is checked against.
 *
 * @param values key to JSON text, without the internal {@code _version}
 * @param flowDisabled null, or why the task's flow is disabled (it failed too often in a row)
 */
public record Snapshot(String version, Map<String, String> values, String flowDisabled) {

  public Snapshot(String version, Map<String, String> values) {
    this(version, values, null);
  }

  /** The state after a commit that applied {@code writes} (key to JSON text, null for a delete) as {@code newVersion}. */
  public Snapshot after(Map<String, String> writes, String newVersion) {
    if (writes.isEmpty()) {
      return this;
    }
    Map<String, String> next = new HashMap<>(values);
    writes.forEach((key, json) -> {
      if (json == null) {
        next.remove(key);
      } else {
        next.put(key, json);
      }
    });
    return new Snapshot(newVersion, Map.copyOf(next));
  }

  /** Characters held, to bound a cache of snapshots. */
  public long weight() {
    long chars = version.length();
    for (Map.Entry<String, String> entry : values.entrySet()) {
      chars += entry.getKey().length() + entry.getValue().length();
    }
    return chars;
  }
}
