package io.flowpay.config;

import io.vertx.core.json.JsonObject;

/**
 * What one flow run may do, besides its CPU and memory budgets ({@code worker.cpuBudgetMs}): read from
 * the {@code worker} section. Past a limit the call that would pass it is refused with a script error at
 * the flow's line (a log line is dropped instead, and the run goes on).
 *
 * @param maxLogBytes log bytes one run may write (UTF-8); later lines are dropped, with one marker line
 * @param maxStateValueBytes bytes of one context value ({@code ctx.set}), as JSON
 * @param maxStateBytes bytes of a context's whole state (keys and JSON values) a {@code ctx.set} may grow it to
 * @param maxStripeCallsPerRun Stripe calls one run may make
 * @param maxDispatchesPerRun {@code flow.dispatch} and {@code flow.after} calls one run may make, together
 * @param maxValueDepth how deeply a value crossing out of a flow may nest (state, params, carry, dispatch input)
 * @param crossNamespaceDispatch whether a flow may dispatch into a context of another namespace (the part
 *     of a context id before its first {@code :})
 */
public record ScriptLimits(int maxLogBytes, int maxStateValueBytes, int maxStateBytes, int maxStripeCallsPerRun,
    int maxDispatchesPerRun, int maxValueDepth, boolean crossNamespaceDispatch) {

  public static final int DEFAULT_MAX_LOG_BYTES = 64 * 1024;
  public static final int DEFAULT_MAX_STATE_VALUE_BYTES = 256 * 1024;
  public static final int DEFAULT_MAX_STATE_BYTES = 1024 * 1024;
  public static final int DEFAULT_MAX_STRIPE_CALLS_PER_RUN = 32;
  public static final int DEFAULT_MAX_DISPATCHES_PER_RUN = 64;
  public static final int DEFAULT_MAX_VALUE_DEPTH = 64;

  /** The defaults. */
  public ScriptLimits() {
    this(DEFAULT_MAX_LOG_BYTES, DEFAULT_MAX_STATE_VALUE_BYTES, DEFAULT_MAX_STATE_BYTES,
        DEFAULT_MAX_STRIPE_CALLS_PER_RUN, DEFAULT_MAX_DISPATCHES_PER_RUN, DEFAULT_MAX_VALUE_DEPTH, false);
  }

  public ScriptLimits {
    if (maxStateValueBytes > maxStateBytes) {
      throw new ConfigReader(null, "worker").invalid("maxStateValueBytes",
          "(" + maxStateValueBytes + ") must not be more than worker.maxStateBytes (" + maxStateBytes + ")");
    }
  }

  /** Reads the limits out of the {@code worker} section; fails naming the key. */
  static ScriptLimits read(JsonObject worker) {
    ConfigReader config = new ConfigReader(worker, "worker");
    return new ScriptLimits(config.integer("maxLogBytes", DEFAULT_MAX_LOG_BYTES, 1024, 16 << 20),
        config.integer("maxStateValueBytes", DEFAULT_MAX_STATE_VALUE_BYTES, 16, 64 << 20),
        config.integer("maxStateBytes", DEFAULT_MAX_STATE_BYTES, 16, 256 << 20),
        config.integer("maxStripeCallsPerRun", DEFAULT_MAX_STRIPE_CALLS_PER_RUN, 1, 10_000),
        config.integer("maxDispatchesPerRun", DEFAULT_MAX_DISPATCHES_PER_RUN, 1, 10_000),
        config.integer("maxValueDepth", DEFAULT_MAX_VALUE_DEPTH, 2, 512),
        flag(config, worker, "crossNamespaceDispatch"));
  }

  private static boolean flag(ConfigReader config, JsonObject worker, String name) {
    Object value = worker == null ? null : worker.getValue(name);
    if (value != null && !(value instanceof Boolean)) {
      throw config.invalid(name, "must be true or false (got " + value + ")");
    }
    return Boolean.TRUE.equals(value);
  }

  public ScriptLimits withCrossNamespaceDispatch(boolean allowed) {
    return new ScriptLimits(maxLogBytes, maxStateValueBytes, maxStateBytes, maxStripeCallsPerRun, maxDispatchesPerRun,
        maxValueDepth, allowed);
  }

  JsonObject addTo(JsonObject worker) {
    return worker.put("maxLogBytes", maxLogBytes)
        .put("maxStateValueBytes", maxStateValueBytes)
        .put("maxStateBytes", maxStateBytes)
        .put("maxStripeCallsPerRun", maxStripeCallsPerRun)
        .put("maxDispatchesPerRun", maxDispatchesPerRun)
        .put("maxValueDepth", maxValueDepth)
        .put("crossNamespaceDispatch", crossNamespaceDispatch);
  }
}
