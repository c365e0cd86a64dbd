package io.flowpay.config;

import io.flowpay.failure.FlowpayFailure;
import io.flowpay.flow.FlowNames;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything a Flowpay process needs to start, read from {@code conf/flowpay.json} (no secrets in
 * it). A bad value stops the start with a message naming the file, the key and the fix.
 *
 * @param workers worker ids this process may serve: it serves those whose lease it holds, a fair share
 *     among the live processes configured with the same ids ({@code "w{0..15}"} names w0 to w15)
 * @param flowsDir where {@code <flow>.js} files live
 * @param http the HTTP API; off unless {@code http.port} is set
 * @param webhooks inbound Stripe webhooks; off unless the config has a {@code webhooks} section
 * @param schedules main flows started on cron ticks ({@link ScheduleOptions}); empty unless configured
 */
public record FlowpayOptions(RedisOptions redis, StripeOptions stripe, WorkerOptions worker,
    List<String> workers, Path flowsDir, HttpOptions http, WebhookOptions webhooks, List<ScheduleOptions> schedules) {

  public static final String DEFAULT_CONFIG = "conf/flowpay.json";
  public static final List<String> DEFAULT_WORKERS = List.of("w1");
  public static final String DEFAULT_FLOWS_DIR = "flows";
  private static final Set<String> KEYS = Set.of("redis", "stripe", "worker", "workers", "flowsDir", "http",
      "webhooks", "schedules");
  private static final Map<String, Set<String>> SECTION_KEYS = Map.of(
      "redis", Set.of("url", "maxPoolSize", "chainRetentionDays", "mode", "sentinels", "masterName", "endpoints", "waitReplicas",
          "waitTimeoutMs"),
      "stripe", Set.of("apiBase", "apiVersion", "connectTimeoutMs", "timeoutMs", "maxAttempts", "retryDelayMs",
          "maxRetryDelayMs", "retryDeadlineMs", "maxConnections", "reconcileWindowMs", "reconcileDelayMs",
          "maxReconcileDelayMs", "rateLimit"),
      "worker", Set.of("scriptThreads", "maxInFlight", "readBatch", "blockMs", "cpuBudgetMs", "maxDeliveries",
          "maxDepth", "disableAfterFailures", "claimIdleMs", "timerPollMs", "shutdownGraceMs", "maxLogBytes",
          "maxStateValueBytes", "maxStateBytes", "maxStripeCallsPerRun", "maxDispatchesPerRun", "maxValueDepth",
          "crossNamespaceDispatch", "leaseTtlMs"),
      "http", Set.of("port", "host", "maxBodyBytes", "headerTimeoutMs", "idleTimeoutMs", "maxInFlight"),
      "webhooks", Set.of("defaultWorker"));

  public FlowpayOptions() {
    this(new RedisOptions(), new StripeOptions(), new WorkerOptions(), DEFAULT_WORKERS, Path.of(DEFAULT_FLOWS_DIR),
        new HttpOptions(), new WebhookOptions());
  }

  public FlowpayOptions(RedisOptions redis, StripeOptions stripe, WorkerOptions worker, List<String> workers,
      Path flowsDir, HttpOptions http, WebhookOptions webhooks) {
    this(redis, stripe, worker, workers, flowsDir, http, webhooks, List.of());
  }

  public FlowpayOptions {
    schedules = List.copyOf(schedules);
    if (webhooks.enabled() && !http.enabled()) {
      throw new FlowpayFailure(FlowpayFailure.Kind.CONFIG_INVALID,
          "webhooks needs the HTTP server: set http.port (e.g. \"http\": {\"port\": 8080}), or remove the webhooks section");
    }
  }

  /** Reads a whole config object; fails naming the key. */
  public FlowpayOptions(JsonObject json) {
    this(new RedisOptions(section(json, "redis")),
        new StripeOptions(section(json, "stripe")),
        new WorkerOptions(section(json, "worker")),
        workers(new ConfigReader(json, "")),
        Path.of(new ConfigReader(json, "").string("flowsDir", DEFAULT_FLOWS_DIR)),
        new HttpOptions(section(json, "http")),
        new WebhookOptions(json.getValue("webhooks") == null ? null : section(json, "webhooks")),
        ScheduleOptions.list(new ConfigReader(json, "").array("schedules"), workers(new ConfigReader(json, ""))));
  }

  /**
   * Reads the file and applies the environment ({@code REDIS_URL} wins over {@code redis.url}).
   * Every failure message starts with the file name.
   */
  public static FlowpayOptions load(Path file, Map<String, String> env) {
    try {
      FlowpayOptions options = new FlowpayOptions(parse(file));
      String redisUrl = env.get("REDIS_URL");
      return redisUrl == null || redisUrl.isBlank() ? options : options.withRedis(options.redis.withUrl(redisUrl));
    } catch (FlowpayFailure failure) {
      throw new FlowpayFailure(failure.kind(), file + ": " + failure.getMessage());
    }
  }

  public FlowpayOptions withRedis(RedisOptions newRedis) {
    return new FlowpayOptions(newRedis, stripe, worker, workers, flowsDir, http, webhooks, schedules);
  }

  public FlowpayOptions withStripe(StripeOptions newStripe) {
    return new FlowpayOptions(redis, newStripe, worker, workers, flowsDir, http, webhooks, schedules);
  }

  public FlowpayOptions withWorker(WorkerOptions newWorker) {
    return new FlowpayOptions(redis, stripe, newWorker, workers, flowsDir, http, webhooks, schedules);
  }

  public FlowpayOptions withWorkers(List<String> newWorkers) {
    return new FlowpayOptions(redis, stripe, worker, List.copyOf(newWorkers), flowsDir, http, webhooks, schedules);
  }

  public FlowpayOptions withFlowsDir(Path dir) {
    return new FlowpayOptions(redis, stripe, worker, workers, dir, http, webhooks, schedules);
  }

  public FlowpayOptions withHttp(HttpOptions newHttp) {
    return new FlowpayOptions(redis, stripe, worker, workers, flowsDir, newHttp, webhooks, schedules);
  }

  public FlowpayOptions withWebhooks(WebhookOptions newWebhooks) {
    return new FlowpayOptions(redis, stripe, worker, workers, flowsDir, http, newWebhooks, schedules);
  }

  public FlowpayOptions withSchedules(List<ScheduleOptions> newSchedules) {
    return new FlowpayOptions(redis, stripe, worker, workers, flowsDir, http, webhooks, newSchedules);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("redis", redis.toJson())
        .put("stripe", stripe.toJson())
        .put("worker", worker.toJson())
        .put("workers", new JsonArray(workers))
        .put("flowsDir", flowsDir.toString())
        .put("http", http.toJson());
    if (!schedules.isEmpty()) {
      json.put("schedules", new JsonArray(schedules.stream().map(ScheduleOptions::toJson).toList()));
    }
    return webhooks.enabled() ? json.put("webhooks", webhooks.toJson()) : json;
  }

  private static JsonObject parse(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException missing) {
      throw new FlowpayFailure(FlowpayFailure.Kind.CONFIG_INVALID,
          "file not found: pass --config with the path of your flowpay.json (a template is conf/flowpay.json)");
    } catch (IOException unreadable) {
      throw new FlowpayFailure(FlowpayFailure.Kind.CONFIG_INVALID, "cannot read the file: " + unreadable.getMessage());
    }
    try {
      JsonObject json = new JsonObject(text);
      rejectUnknownKeys(json);
      return json;
    } catch (DecodeException | ClassCastException bad) {
      throw new FlowpayFailure(FlowpayFailure.Kind.CONFIG_INVALID,
          "is not a JSON object" + where(bad) + ": " + firstLine(bad.getMessage()).replace("Failed to decode:", ""));
    }
  }

  /** A misspelt key would otherwise be silently ignored and its default used. */
  private static void rejectUnknownKeys(JsonObject json) {
    for (String key : json.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw new FlowpayFailure(FlowpayFailure.Kind.CONFIG_INVALID,
            "unknown key '" + key + "' (known: " + String.join(", ", KEYS.stream().sorted().toList()) + ")");
      }
    }
    SECTION_KEYS.forEach((section, known) -> {
      JsonObject inner = section(json, section);
      for (String key : inner.fieldNames()) {
        if (!known.contains(key)) {
          throw new FlowpayFailure(FlowpayFailure.Kind.CONFIG_INVALID, "unknown key '" + section + "." + key
              + "' (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
        }
      }
    });
  }

  private static JsonObject section(JsonObject json, String name) {
    Object value = json.getValue(name);
    if (value != null && !(value instanceof JsonObject)) {
      throw new FlowpayFailure(FlowpayFailure.Kind.CONFIG_INVALID, name + " must be an object, e.g. \"" + name + "\": {}");
    }
    return value == null ? new JsonObject() : (JsonObject) value;
  }

  private static List<String> workers(ConfigReader config) {
    JsonArray list = config.array("workers");
    if (list == null) {
      return DEFAULT_WORKERS;
    }
    if (list.isEmpty()) {
      throw config.invalid("workers", "must name at least one worker id, e.g. [\"w1\"]");
    }
    for (Object id : list) {
      if (!(id instanceof String)) {
        throw config.invalid("workers", "has an invalid worker id " + id + ": use 1-128 letters, digits, '_', '-', '.' or ':'");
      }
    }
    try {
      return WorkerIds.expand(list.stream().map(String.class::cast).toList());
    } catch (IllegalArgumentException bad) {
      throw config.invalid("workers", bad.getMessage());
    }
  }

  /** {@code " (line 3, column 5)"} from Jackson's parse error, or "" when it gives none. */
  private static String where(Exception bad) {
    for (Throwable cause = bad; cause != null; cause = cause.getCause()) {
      if (cause instanceof com.fasterxml.jackson.core.JsonProcessingException json && json.getLocation() != null) {
        return " (line " + json.getLocation().getLineNr() + ", column " + json.getLocation().getColumnNr() + ")";
      }
    }
    return "";
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }
}
