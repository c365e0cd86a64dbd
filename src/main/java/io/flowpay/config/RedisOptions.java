package io.flowpay.config;

import io.vertx.core.json.JsonObject;

/**
 * Where Redis is. {@code REDIS_URL} in the environment wins over the file.
 *
 * @param url e.g. {@code redis://127.0.0.1:6379/0}; a password belongs in {@code REDIS_URL}, not the file
 * @param maxPoolSize pooled connections for commits and reads (blocking reads get their own)
 * @param chainRetentionDays days a chain's counters and run records are kept after its last run
 *     (or after its last {@code flow.after} timer is due, if later)
 */
public record RedisOptions(String url, int maxPoolSize, int chainRetentionDays) {

  public static final String DEFAULT_URL = "redis://127.0.0.1:6379";
  public static final int DEFAULT_MAX_POOL_SIZE = 16;
  public static final int DEFAULT_CHAIN_RETENTION_DAYS = 7;

  public RedisOptions() {
    this(DEFAULT_URL, DEFAULT_MAX_POOL_SIZE, DEFAULT_CHAIN_RETENTION_DAYS);
  }

  /** Reads the {@code redis} section; fails naming the key. */
  public RedisOptions(JsonObject json) {
    this(new ConfigReader(json, "redis"));
  }

  private RedisOptions(ConfigReader config) {
    this(config.string("url", DEFAULT_URL), config.integer("maxPoolSize", DEFAULT_MAX_POOL_SIZE, 2, 1024),
        config.integer("chainRetentionDays", DEFAULT_CHAIN_RETENTION_DAYS, 1, 3650));
    if (!url.startsWith("redis://") && !url.startsWith("rediss://") && !url.startsWith("unix://")) {
      throw config.invalid("url", "must look like \"redis://host:6379\" (got \"" + Secrets.maskUrl(url) + "\")");
    }
  }

  public RedisOptions withUrl(String newUrl) {
    return new RedisOptions(newUrl, maxPoolSize, chainRetentionDays);
  }

  /** The URL with any password masked, for logs and messages. */
  public String safeUrl() {
    return Secrets.maskUrl(url);
  }

  /** {@link #chainRetentionDays} in seconds, as Redis expiries take it. */
  public long chainRetentionSeconds() {
    return chainRetentionDays * 86_400L;
  }

  public JsonObject toJson() {
    return new JsonObject().put("url", url).put("maxPoolSize", maxPoolSize).put("chainRetentionDays", chainRetentionDays);
  }
}
