package io.flowpay.script;

import io.flowpay.flow.FlowVersion;
import java.util.Map;
import java.util.Set;

/**
 * The current uploaded version of each flow that has one, as this process last saw it in Redis. An
 * uploaded version wins over the flow's file in {@code flowsDir} (it shadows it); a flow with no
 * uploaded version runs from its file. Replaced whole when a newer view is read; thread-safe.
 */
public final class UploadedFlows {

  private volatile Map<String, FlowVersion> current = Map.of();

  /** The current uploaded version of {@code flow}, or null when it runs from its file. */
  public FlowVersion get(String flow) {
    return current.get(flow);
  }

  public Set<String> names() {
    return current.keySet();
  }

  /** Every flow's current uploaded version, as read from Redis. */
  public void replace(Map<String, FlowVersion> versions) {
    current = Map.copyOf(versions);
  }
}
