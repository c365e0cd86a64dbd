package io.flowpay.config;

import io.vertx.core.json.JsonObject;

/**
 * How workers run tasks.
 *
 * @param scriptThreads threads that run flow scripts (shared by all workers of the process)
 * @param maxInFlight tasks one worker holds at once (read from Redis, not yet committed)
 * @param readBatch tasks read from the stream per XREADGROUP
 * @param blockMs how long one XREADGROUP waits for new tasks
 */
public record WorkerOptions(int scriptThreads, int maxInFlight, int readBatch, int blockMs) {

  public static final int DEFAULT_SCRIPT_THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());
  public static final int DEFAULT_MAX_IN_FLIGHT = 256;
  public static final int DEFAULT_READ_BATCH = 64;
  public static final int DEFAULT_BLOCK_MS = 2_000;

  public WorkerOptions() {
    this(DEFAULT_SCRIPT_THREADS, DEFAULT_MAX_IN_FLIGHT, DEFAULT_READ_BATCH, DEFAULT_BLOCK_MS);
  }

  /** Reads the {@code worker} section; fails naming the key. */
  public WorkerOptions(JsonObject json) {
    this(new ConfigReader(json, "worker"));
  }

  private WorkerOptions(ConfigReader config) {
    this(config.integer("scriptThreads", DEFAULT_SCRIPT_THREADS, 1, 256),
        config.integer("maxInFlight", DEFAULT_MAX_IN_FLIGHT, 1, 100_000),
        config.integer("readBatch", DEFAULT_READ_BATCH, 1, 10_000),
        config.integer("blockMs", DEFAULT_BLOCK_MS, 10, 60_000));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("scriptThreads", scriptThreads)
        .put("maxInFlight", maxInFlight)
        .put("readBatch", readBatch)
        .put("blockMs", blockMs);
  }
}
