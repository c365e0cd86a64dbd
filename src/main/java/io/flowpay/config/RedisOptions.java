package io.flowpay.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * Where Redis is. {@code REDIS_URL} in the environment wins over the file.
 *
 * @param url e.g. {@code redis://127.0.0.1:6379/0}; a password belongs in {@code REDIS_URL}, not the file.
 *     In {@code sentinel} mode only its password and database number are used (the master comes from the sentinels)
 * @param maxPoolSize pooled connections for commits and reads (blocking reads get their own)
 * @param chainRetentionDays days a chain's counters and run records are kept after its last run
 *     (or after its last {@code flow.after} timer is due, if later)
 * @param mode {@code standalone} (one server at {@code url}) or {@code sentinel} (the master of {@code masterName}
 *     as the {@code sentinels} report it, followed through failovers)
 * @param sentinels sentinel endpoints, e.g. {@code redis://10.0.0.5:26379}; sentinel mode only
 * @param masterName the master set the sentinels watch ({@code sentinel monitor <name> ...})
 * @param waitReplicas replicas that must acknowledge a commit ({@code WAIT}) before its Stripe calls are sent; 0 = off
 * @param waitTimeoutMs longest a commit's calls wait for that acknowledgement; past it they are sent anyway, with a warning
 * @param endpoints cluster mode: seed nodes of the Redis Cluster, e.g. {@code redis://10.0.0.5:6379} (the client learns
 *     the others and the slots from them); {@code url}'s password is used for every node
 */
public record RedisOptions(String url, int maxPoolSize, int chainRetentionDays, Mode mode, List<String> sentinels,
    String masterName, int waitReplicas, int waitTimeoutMs, List<String> endpoints) {

  public static final String DEFAULT_URL = "redis://127.0.0.1:6379";
  public static final int DEFAULT_MAX_POOL_SIZE = 16;
  public static final int DEFAULT_CHAIN_RETENTION_DAYS = 7;
  public static final String DEFAULT_MASTER_NAME = "mymaster";
  public static final int DEFAULT_WAIT_TIMEOUT_MS = 1_000;

  /** How Flowpay finds the Redis it writes to. */
  public enum Mode { STANDALONE, SENTINEL, CLUSTER }

  public RedisOptions {
    sentinels = List.copyOf(sentinels);
    endpoints = List.copyOf(endpoints);
  }

  /** Standalone or Sentinel (no cluster endpoints). */
  public RedisOptions(String url, int maxPoolSize, int chainRetentionDays, Mode mode, List<String> sentinels,
      String masterName, int waitReplicas, int waitTimeoutMs) {
    this(url, maxPoolSize, chainRetentionDays, mode, sentinels, masterName, waitReplicas, waitTimeoutMs, List.of());
  }

  public RedisOptions() {
    this(DEFAULT_URL, DEFAULT_MAX_POOL_SIZE, DEFAULT_CHAIN_RETENTION_DAYS);
  }

  /** Standalone, no {@code WAIT}. */
  public RedisOptions(String url, int maxPoolSize, int chainRetentionDays) {
    this(url, maxPoolSize, chainRetentionDays, Mode.STANDALONE, List.of(), DEFAULT_MASTER_NAME, 0,
        DEFAULT_WAIT_TIMEOUT_MS);
  }

  /** Reads the {@code redis} section; fails naming the key. */
  public RedisOptions(JsonObject json) {
    this(new ConfigReader(json, "redis"));
  }

  private RedisOptions(ConfigReader config) {
    this(config.string("url", DEFAULT_URL), config.integer("maxPoolSize", DEFAULT_MAX_POOL_SIZE, 2, 1024),
        config.integer("chainRetentionDays", DEFAULT_CHAIN_RETENTION_DAYS, 1, 3650),
        mode(config), sentinels(config), config.string("masterName", DEFAULT_MASTER_NAME),
        config.integer("waitReplicas", 0, 0, 16), config.integer("waitTimeoutMs", DEFAULT_WAIT_TIMEOUT_MS, 1, 60_000),
        endpoints(config, "endpoints", "redis://10.0.0.5:6379"));
    if (!url.startsWith("redis://") && !url.startsWith("rediss://") && !url.startsWith("unix://")) {
      throw config.invalid("url", "must look like \"redis://host:6379\" (got \"" + Secrets.maskUrl(url) + "\")");
    }
    if (mode == Mode.SENTINEL && sentinels.isEmpty()) {
      throw config.invalid("sentinels", "must list at least one sentinel in sentinel mode, e.g."
          + " [\"redis://10.0.0.5:26379\", \"redis://10.0.0.6:26379\", \"redis://10.0.0.7:26379\"]");
    }
    if (mode == Mode.CLUSTER && endpoints.isEmpty()) {
      throw config.invalid("endpoints", "must list at least one node of the Redis Cluster in cluster mode, e.g."
          + " [\"redis://10.0.0.5:6379\", \"redis://10.0.0.6:6379\", \"redis://10.0.0.7:6379\"]");
    }
  }

  private static Mode mode(ConfigReader config) {
    String mode = config.string("mode", "standalone").toLowerCase(Locale.ROOT);
    return switch (mode) {
      case "standalone" -> Mode.STANDALONE;
      case "sentinel" -> Mode.SENTINEL;
      case "cluster" -> Mode.CLUSTER;
      default -> throw config.invalid("mode", "must be \"standalone\", \"sentinel\" or \"cluster\" (got \"" + mode
          + "\")");
    };
  }

  private static List<String> sentinels(ConfigReader config) {
    return endpoints(config, "sentinels", "redis://host:26379");
  }

  private static List<String> endpoints(ConfigReader config, String key, String example) {
    JsonArray list = config.array(key);
    if (list == null) {
      return List.of();
    }
    for (Object endpoint : list) {
      if (!(endpoint instanceof String text) || !text.startsWith("redis://") && !text.startsWith("rediss://")) {
        throw config.invalid(key, "has " + (endpoint instanceof String text ? "\"" + Secrets.maskUrl(text) + "\""
            : endpoint) + ": each must look like \"" + example + "\"");
      }
    }
    return list.stream().map(String.class::cast).toList();
  }

  public RedisOptions withUrl(String newUrl) {
    return new RedisOptions(newUrl, maxPoolSize, chainRetentionDays, mode, sentinels, masterName, waitReplicas,
        waitTimeoutMs, endpoints);
  }

  /** Cluster mode: a Redis Cluster found through these seed nodes. */
  public RedisOptions withCluster(List<String> seeds) {
    return new RedisOptions(url, maxPoolSize, chainRetentionDays, Mode.CLUSTER, sentinels, masterName, waitReplicas,
        waitTimeoutMs, seeds);
  }

  /** Sentinel mode: the master of {@code name}, as these sentinels report it. */
  public RedisOptions withSentinels(List<String> endpoints, String name) {
    return new RedisOptions(url, maxPoolSize, chainRetentionDays, Mode.SENTINEL, endpoints, name, waitReplicas,
        waitTimeoutMs);
  }

  /** Commits' calls wait for {@code replicas} acknowledgements, at most {@code timeoutMs}. */
  public RedisOptions withWait(int replicas, int timeoutMs) {
    return new RedisOptions(url, maxPoolSize, chainRetentionDays, mode, sentinels, masterName, replicas, timeoutMs,
        endpoints);
  }

  /** The URL with any password masked, for logs and messages. */
  public String safeUrl() {
    return mode == Mode.SENTINEL
        ? "master '" + masterName + "' of sentinels " + sentinels.stream().map(Secrets::maskUrl).toList()
        : mode == Mode.CLUSTER ? "cluster of " + endpoints.stream().map(Secrets::maskUrl).toList()
        : Secrets.maskUrl(url);
  }

  /** {@link #chainRetentionDays} in seconds, as Redis expiries take it. */
  public long chainRetentionSeconds() {
    return chainRetentionDays * 86_400L;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("url", url).put("maxPoolSize", maxPoolSize)
        .put("chainRetentionDays", chainRetentionDays).put("mode", mode.name().toLowerCase(Locale.ROOT));
    if (mode == Mode.SENTINEL) {
      json.put("sentinels", new JsonArray(sentinels)).put("masterName", masterName);
    }
    if (mode == Mode.CLUSTER) {
      json.put("endpoints", new JsonArray(endpoints));
    }
    return json.put("waitReplicas", waitReplicas).put("waitTimeoutMs", waitTimeoutMs);
  }
}
