package io.flowpay.http;

import io.flowpay.flow.FlowNames;
import io.flowpay.flow.Ids;
import io.flowpay.flow.Placement;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * The body of {@code POST /v1/runs}: {@code {"flow", "input", "context_id", "worker_id"}}, only
 * {@code flow} required. Every problem names its field.
 *
 * @param input any JSON value; {@code {}} when absent
 */
record RunRequest(String flow, Object input, String contextId, String workerId) {

  /** Deepest nesting of {@code input} taken; deeper cannot be stored and run safely (JSON writers stop at 1000). */
  static final int MAX_INPUT_DEPTH = 100;
  private static final Set<String> FIELDS = Set.of("flow", "input", "context_id", "worker_id");

  /**
   * @param body the raw request body
   * @param workers the configured worker ids; a context with no {@code worker_id} goes to its placed one
   */
  static RunRequest parse(String body, List<String> workers) {
    return parse(body, workers, null);
  }

  /**
   * @param namespace of the context made up when the body names none (null: none, {@code ctx-<random>})
   */
  static RunRequest parse(String body, List<String> workers, String namespace) {
    return parse(body, workers, namespace, null);
  }

  /**
   * @param namespace of the context made up when the body names none (null: none)
   * @param seed what the made-up context id is derived from (an {@code Idempotency-Key}: the same request again
   *     gets the same context, so the same worker, where its idempotency record is), or null for a random one
   */
  static RunRequest parse(String body, List<String> workers, String namespace, String seed) {
    JsonObject json = object(body);
    for (String field : json.fieldNames()) {
      if (!FIELDS.contains(field)) {
        throw ApiProblem.invalid(field, "unknown field '" + field + "' (known: context_id, flow, input, worker_id)");
      }
    }
    String flow = string(json, "flow");
    if (flow == null) {
      throw ApiProblem.invalid("flow", "flow is required: the name of a file in the flows folder, e.g. \"main\"");
    }
    if (!FlowNames.isValid(flow)) {
      throw ApiProblem.invalid("flow", "flow '" + flow + "' is not a valid flow name: use snake_case like 'main'");
    }
    String context = id(json, "context_id", (namespace == null ? "" : namespace + ":") + "ctx-"
        + (seed == null ? Ids.newId() : Ids.digest(seed)).substring(0, 12));
    String worker = id(json, "worker_id", Placement.workerFor(context, workers));
    if (!workers.contains(worker)) {  // a bad context id fails first, naming context_id
      throw ApiProblem.invalid("worker_id", "worker '" + worker + "' is not served here (workers: "
          + String.join(", ", workers) + ")");
    }
    Object input = json.containsKey("input") ? json.getValue("input") : new JsonObject();
    if (depth(input, 0) > MAX_INPUT_DEPTH) {
      throw ApiProblem.invalid("input", "input is nested deeper than " + MAX_INPUT_DEPTH + " levels: flatten it");
    }
    return new RunRequest(flow, input, context, worker);
  }

  /** How many arrays and objects nest in {@code value} ({@code level} of them enclose it), stopping past the limit. */
  private static int depth(Object value, int level) {
    Iterable<?> children = value instanceof JsonObject object ? object.getMap().values()
        : value instanceof JsonArray array ? array.getList()
        : value instanceof java.util.Map<?, ?> map ? map.values()
        : value instanceof List<?> list ? list : null;
    if (children == null || level >= MAX_INPUT_DEPTH + 1) {
      return children == null ? level : level + 1;
    }
    int deepest = level + 1;
    for (Object child : children) {
      deepest = Math.max(deepest, depth(child, level + 1));
    }
    return deepest;
  }

  private static JsonObject object(String body) {
    if (body == null || body.isBlank()) {
      throw ApiProblem.invalid(null, "the body must be a JSON object like {\"flow\": \"main\", \"input\": {}}");
    }
    Object value;
    try {
      value = Json.decodeValue(body);
    } catch (DecodeException bad) {
      throw ApiProblem.invalid(null, "the body is not valid JSON: " + bad.getMessage().lines().findFirst().orElse(""));
    }
    if (!(value instanceof JsonObject json)) {
      throw ApiProblem.invalid(null, "the body must be a JSON object like {\"flow\": \"main\", \"input\": {}}");
    }
    return json;
  }

  private static String string(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value != null && !(value instanceof String)) {
      throw ApiProblem.invalid(field, field + " must be a string");
    }
    return (String) value;
  }

  private static String id(JsonObject json, String field, String fallback) {
    String id = string(json, field);
    if (id == null) {
      return fallback;
    }
    if (!FlowNames.isValidId(id)) {
      throw ApiProblem.invalid(field, field + " '" + id + "' is not valid: use 1-128 letters, digits, '_', '-', '.' or ':'");
    }
    return id;
  }
}
