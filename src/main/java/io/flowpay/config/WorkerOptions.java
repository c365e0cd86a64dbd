package io.flowpay.config;

import io.vertx.core.json.JsonObject;

/**
 * How workers run tasks, and the limits that keep a bad flow or task from holding them.
 *
 * @param scriptThreads threads that run flow scripts (shared by all workers of the process)
 * @param maxInFlight tasks one worker holds at once (read from Redis, not yet committed)
 * @param readBatch tasks read from the stream per XREADGROUP
 * @param blockMs how long one XREADGROUP waits for new tasks
 * @param cpuBudgetMs CPU time one flow run may use before it is stopped as {@code timed_out}
 * @param maxDeliveries deliveries of one task before it is dead-lettered instead of run again
 * @param maxDepth chain depth past which a task is dead-lettered instead of run
 * @param disableAfterFailures failed runs in a row after which a flow is disabled (0: never)
 * @param claimIdleMs pending tasks idle this long are claimed from a consumer that went away
 * @param timerPollMs how often due {@code flow.after} timers are moved into the stream
 * @param shutdownGraceMs how long a stop waits for running scripts and calls in flight
 * @param scriptLimits what one flow run may write, call and dispatch (same section: {@code worker.maxLogBytes}, ...)
 * @param leaseTtlMs how long a worker id's lease lasts unless renewed (every third of it): how long a dead
 *     process's worker ids wait before another process of the pool takes them over
 */
public record WorkerOptions(int scriptThreads, int maxInFlight, int readBatch, int blockMs, int cpuBudgetMs,
    int maxDeliveries, int maxDepth, int disableAfterFailures, int claimIdleMs, int timerPollMs,
    int shutdownGraceMs, ScriptLimits scriptLimits, int leaseTtlMs) {

  public static final int DEFAULT_SCRIPT_THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());
  public static final int DEFAULT_MAX_IN_FLIGHT = 256;
  public static final int DEFAULT_READ_BATCH = 64;
  public static final int DEFAULT_BLOCK_MS = 2_000;
  public static final int DEFAULT_CPU_BUDGET_MS = 200;
  public static final int DEFAULT_MAX_DELIVERIES = 5;
  public static final int DEFAULT_MAX_DEPTH = 64;
  public static final int DEFAULT_DISABLE_AFTER_FAILURES = 3;
  public static final int DEFAULT_CLAIM_IDLE_MS = 60_000;
  public static final int DEFAULT_TIMER_POLL_MS = 250;
  public static final int DEFAULT_SHUTDOWN_GRACE_MS = 10_000;
  public static final int DEFAULT_LEASE_TTL_MS = 10_000;

  public WorkerOptions() {
    this(DEFAULT_SCRIPT_THREADS, DEFAULT_MAX_IN_FLIGHT, DEFAULT_READ_BATCH, DEFAULT_BLOCK_MS);
  }

  /** The given throughput settings with the default limits. */
  public WorkerOptions(int scriptThreads, int maxInFlight, int readBatch, int blockMs) {
    this(scriptThreads, maxInFlight, readBatch, blockMs, DEFAULT_CPU_BUDGET_MS, DEFAULT_MAX_DELIVERIES,
        DEFAULT_MAX_DEPTH, DEFAULT_DISABLE_AFTER_FAILURES, DEFAULT_CLAIM_IDLE_MS, DEFAULT_TIMER_POLL_MS,
        DEFAULT_SHUTDOWN_GRACE_MS);
  }

  /** The given settings with the default script limits. */
  public WorkerOptions(int scriptThreads, int maxInFlight, int readBatch, int blockMs, int cpuBudgetMs,
      int maxDeliveries, int maxDepth, int disableAfterFailures, int claimIdleMs, int timerPollMs,
      int shutdownGraceMs) {
    this(scriptThreads, maxInFlight, readBatch, blockMs, cpuBudgetMs, maxDeliveries, maxDepth, disableAfterFailures,
        claimIdleMs, timerPollMs, shutdownGraceMs, new ScriptLimits(), DEFAULT_LEASE_TTL_MS);
  }

  /** Reads the {@code worker} section; fails naming the key. */
  public WorkerOptions(JsonObject json) {
    this(new ConfigReader(json, "worker"), ScriptLimits.read(json));
  }

  private WorkerOptions(ConfigReader config, ScriptLimits scriptLimits) {
    this(config.integer("scriptThreads", DEFAULT_SCRIPT_THREADS, 1, 256),
        config.integer("maxInFlight", DEFAULT_MAX_IN_FLIGHT, 1, 100_000),
        config.integer("readBatch", DEFAULT_READ_BATCH, 1, 10_000),
        config.integer("blockMs", DEFAULT_BLOCK_MS, 10, 60_000),
        config.integer("cpuBudgetMs", DEFAULT_CPU_BUDGET_MS, 10, 60_000),
        config.integer("maxDeliveries", DEFAULT_MAX_DELIVERIES, 1, 1_000),
        config.integer("maxDepth", DEFAULT_MAX_DEPTH, 1, 10_000),
        config.integer("disableAfterFailures", DEFAULT_DISABLE_AFTER_FAILURES, 0, 1_000),
        config.integer("claimIdleMs", DEFAULT_CLAIM_IDLE_MS, 1_000, 86_400_000),
        config.integer("timerPollMs", DEFAULT_TIMER_POLL_MS, 10, 60_000),
        config.integer("shutdownGraceMs", DEFAULT_SHUTDOWN_GRACE_MS, 0, 600_000), scriptLimits,
        config.integer("leaseTtlMs", DEFAULT_LEASE_TTL_MS, 1_000, 600_000));
  }

  public WorkerOptions withLimits(int newMaxDeliveries, int newMaxDepth, int newDisableAfterFailures) {
    return new WorkerOptions(scriptThreads, maxInFlight, readBatch, blockMs, cpuBudgetMs, newMaxDeliveries,
        newMaxDepth, newDisableAfterFailures, claimIdleMs, timerPollMs, shutdownGraceMs, scriptLimits, leaseTtlMs);
  }

  public WorkerOptions withClaimIdleMs(int newClaimIdleMs) {
    return new WorkerOptions(scriptThreads, maxInFlight, readBatch, blockMs, cpuBudgetMs, maxDeliveries, maxDepth,
        disableAfterFailures, newClaimIdleMs, timerPollMs, shutdownGraceMs, scriptLimits, leaseTtlMs);
  }

  public WorkerOptions withScriptLimits(ScriptLimits newScriptLimits) {
    return new WorkerOptions(scriptThreads, maxInFlight, readBatch, blockMs, cpuBudgetMs, maxDeliveries, maxDepth,
        disableAfterFailures, claimIdleMs, timerPollMs, shutdownGraceMs, newScriptLimits, leaseTtlMs);
  }

  public WorkerOptions withLeaseTtlMs(int newLeaseTtlMs) {
    return new WorkerOptions(scriptThreads, maxInFlight, readBatch, blockMs, cpuBudgetMs, maxDeliveries, maxDepth,
        disableAfterFailures, claimIdleMs, timerPollMs, shutdownGraceMs, scriptLimits, newLeaseTtlMs);
  }

  public JsonObject toJson() {
    return scriptLimits.addTo(new JsonObject()
        .put("scriptThreads", scriptThreads)
        .put("maxInFlight", maxInFlight)
        .put("readBatch", readBatch)
        .put("blockMs", blockMs)
        .put("cpuBudgetMs", cpuBudgetMs)
        .put("maxDeliveries", maxDeliveries)
        .put("maxDepth", maxDepth)
        .put("disableAfterFailures", disableAfterFailures)
        .put("claimIdleMs", claimIdleMs)
        .put("timerPollMs", timerPollMs)
        .put("shutdownGraceMs", shutdownGraceMs)
        .put("leaseTtlMs", leaseTtlMs));
  }
}
