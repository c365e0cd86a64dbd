package io.flowpay.queue;

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
}
