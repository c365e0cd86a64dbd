package io.flowpay.flow;

import java.util.Locale;

/**
 * Who started a task: its {@code caller_id}, as a flow sees it in {@code meta.caller_id}, as Redis keeps it and as the
 * {@code flowpay_runs_started_total{caller}} metric counts it ({@link #id()}: the name in lower case).
 */
public enum Caller {
  /** {@code flowpay run}, {@code demo}, {@code try}. */
  CLI,
  /** {@code POST /v1/runs}. */
  API,
  /** Stripe's answer to a call: a response or error flow. */
  STRIPE,
  /** A Stripe event delivered to {@code /webhooks/stripe}. */
  WEBHOOK,
  /** {@code flow.dispatch}. */
  FLOW,
  /** {@code flow.after}, when its time came. */
  TIMER,
  /** A tick of a schedule from the config. */
  SCHEDULE,
  /** {@code flowpay test}: a flow test's start. */
  TEST;

  /** {@code cli}, {@code api}, ...: the wire name. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The caller of a wire name, null for null; fails naming it when Flowpay has no such caller. */
  public static Caller of(String id) {
    if (id == null) {
      return null;
    }
    for (Caller caller : values()) {
      if (caller.id().equals(id)) {
        return caller;
      }
    }
    throw new IllegalArgumentException("unknown caller_id '" + id + "': one of "
        + java.util.Arrays.stream(values()).map(Caller::id).collect(java.util.stream.Collectors.joining(", ")));
  }
}
