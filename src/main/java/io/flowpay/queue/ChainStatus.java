package io.flowpay.queue;

import java.util.Map;

/**
 * Where a chain stands: {@code running}; {@code settled} when it has no queued or running task and
 * no call in flight; {@code stuck} when a task of it is parked in a dead-letter stream (it needs an
 * operator: {@code flowpay dead retry} brings it back to running).
 *
 * @param pending tasks queued or running plus calls in flight
 * @param runs run records written so far
 * @param failed runs that did not end {@code ok}
 * @param dead tasks parked in a dead-letter stream instead of run (retry them with {@code flowpay dead retry})
 */
public record ChainStatus(String chainId, String status, long pending, long runs, long failed, long dead) {

  /** @param runs the length of the chain's run stream: each run, dead ones too, leaves one record there */
  static ChainStatus of(String chainId, Map<String, String> fields, long runs) {
    if (fields.isEmpty()) {
      return null;
    }
    return new ChainStatus(chainId, fields.getOrDefault("status", "running"), number(fields, "pending"),
        runs, number(fields, "failed"), number(fields, "dead"));
  }

  public boolean settled() {
    return "settled".equals(status);
  }

  /** A task of the chain is parked in a dead-letter stream: nothing moves until an operator retries or drops it. */
  public boolean stuck() {
    return "stuck".equals(status);
  }

  /** Settled or stuck: nothing more happens without an operator. */
  public boolean ended() {
    return settled() || stuck() && pending <= 0;
  }

  private static long number(Map<String, String> fields, String name) {
    String value = fields.get(name);
    return value == null ? 0 : Long.parseLong(value);
  }
}
