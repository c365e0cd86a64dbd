package io.flowpay.flow;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.Objects;

/**
 * "Run flow F in context C on worker W with input I": the unit that travels through Redis.
 *
 * @param input a JSON value (JsonObject, JsonArray, String, Number, Boolean or null), or a
 *     {@link RawJson} holding one as text (what Stripe answered, a task read from Redis)
 * @param reply set for response/error tasks, null for others
 * @param eventId the Stripe event a webhook task answers, null for others
 */
public record Task(
    String taskId,
    String flow,
    String workerId,
    String contextId,
    Caller caller,
    Object input,
    Reply reply,
    String chainId,
    String parentId,
    int depth,
    int attempt,
    long enqueuedAt,
    String eventId) {

  private static final String INPUT_FIRST = "{\"input\":";

  /** A main-flow task: the first of a new chain. */
  public static Task main(String flow, String workerId, String contextId, Caller caller, Object input) {
    String id = Ids.newId();
    return new Task(id, flow, workerId, contextId, caller, input, null, Ids.chainId(id, workerId), null, 0, 1,
        System.currentTimeMillis(), null);
  }

  /** A main-flow task started by Stripe event {@code eventId} ({@code caller_id} {@code webhook}). */
  public static Task event(String flow, String workerId, String contextId, Object input, String eventId) {
    String id = Ids.newId();
    return new Task(id, flow, workerId, contextId, Caller.WEBHOOK, input, null, Ids.chainId(id, workerId), null, 0, 1,
        System.currentTimeMillis(), eventId);
  }

  /** A task this task's flow starts (dispatch, reply): same chain, one level deeper. */
  public Task child(String flow, String workerId, String contextId, Caller caller, Object input, Reply reply) {
    return new Task(Ids.newId(), flow, workerId, contextId, caller, input, reply, chainId, taskId,
        depth + 1, 1, System.currentTimeMillis(), null);
  }

  /** The same task delivered again as a fresh attempt (an operator's {@code dead retry}). */
  public Task retried() {
    return new Task(taskId, flow, workerId, contextId, caller, input, reply, chainId, parentId, depth, 1,
        System.currentTimeMillis(), eventId);
  }

  /** {@code caller_id}: the caller's wire name ({@link Caller#id()}), null when the task has none. */
  public String callerId() {
    return caller == null ? null : caller.id();
  }

  /** The input as a JSON value (JsonObject, JsonArray, String, Number, Boolean or null), decoded if need be. */
  @Override
  public Object input() {
    return input instanceof RawJson raw ? raw.value() : input;
  }

  /** The input as JSON text, without decoding it when it came as text. */
  public String inputJson() {
    return input instanceof RawJson raw ? raw.text() : Json.encode(input);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Task task && depth == task.depth && attempt == task.attempt && enqueuedAt == task.enqueuedAt
        && Objects.equals(taskId, task.taskId) && Objects.equals(flow, task.flow) && Objects.equals(workerId, task.workerId)
        && Objects.equals(contextId, task.contextId) && caller == task.caller
        && Objects.equals(input(), task.input()) && Objects.equals(reply, task.reply) && Objects.equals(chainId, task.chainId)
        && Objects.equals(parentId, task.parentId) && Objects.equals(eventId, task.eventId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(taskId, flow, workerId, contextId, caller, input(), reply, chainId, parentId, depth, attempt,
        enqueuedAt, eventId);
  }

  public JsonObject toJson() {
    return fields(input());
  }

  /** The task as JSON text (what goes into Redis): an input held as text is copied, not re-encoded. */
  public String encode() {
    if (!(input instanceof RawJson raw)) {
      return toJson().encode();
    }
    JsonObject fields = withoutInput();
    fields.remove("input");
    String rest = fields.encode();
    return INPUT_FIRST + raw.text() + (rest.length() > 2 ? "," + rest.substring(1) : "}");
  }

  /**
   * Reads a task from its JSON text, keeping its input as text (it is decoded only if Java code
   * asks for it). Fails with {@link DecodeException} when the text is not a JSON object.
   */
  public static Task decode(String json) {
    if (json.startsWith(INPUT_FIRST)) {
      Task task = decodeInputFirst(json);
      if (task != null) {
        return task;
      }
    }
    try (JsonParser parser = RawJson.JSON.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new DecodeException("a task is a JSON object");
      }
      JsonObject fields = new JsonObject();
      Object input = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("input".equals(name)) {
          int start = (int) parser.currentTokenLocation().getCharOffset();
          if (value.isStructStart()) {
            parser.skipChildren();
          } else {
            parser.getText();
          }
          String text = json.substring(start, (int) parser.currentLocation().getCharOffset()).strip();
          input = value == JsonToken.VALUE_NULL ? null : RawJson.trusted(text);
        } else {
          fields.put(name, value(parser));
        }
      }
      if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
        throw new DecodeException("a task is one JSON object");
      }
      return fromJson(fields, input);
    } catch (IOException e) {
      throw new DecodeException("not JSON: " + e.getMessage());
    }
  }

  /** The value at the parser's current token, read whole (objects and arrays as Vert.x JSON). */
  private static Object value(JsonParser parser) throws IOException {
    switch (parser.currentToken()) {
      case START_OBJECT -> {
        JsonObject object = new JsonObject();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          parser.nextToken();
          object.put(name, value(parser));
        }
        return object;
      }
      case START_ARRAY -> {
        JsonArray array = new JsonArray();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          array.add(value(parser));
        }
        return array;
      }
      case VALUE_STRING -> {
        return parser.getText();
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        return parser.getNumberValue();
      }
      case VALUE_TRUE -> {
        return true;
      }
      case VALUE_FALSE -> {
        return false;
      }
      default -> {
        return null;
      }
    }
  }

  /**
   * The layout {@link #encode} writes for an input held as text: the input comes first and is
   * taken by finding where it ends, without tokenising it (a Stripe object is most of a task's
   * text). Null when the text is not laid out so; the general decoder then reads it.
   */
  private static Task decodeInputFirst(String json) {
    int start = skipSpace(json, INPUT_FIRST.length());
    int end = RawJson.endOfStructure(json, start);
    if (end < 0) {
      return null;
    }
    int next = skipSpace(json, end);
    if (next >= json.length() || (json.charAt(next) != ',' && json.charAt(next) != '}')) {
      return null;
    }
    Task fields = decode(json.charAt(next) == '}' ? "{}" : "{" + json.substring(next + 1));
    if (fields.input != null) {
      throw new DecodeException("a task has one input");
    }
    return fields.withInput(RawJson.trusted(json.substring(start, end)));
  }

  private Task withInput(Object newInput) {
    return new Task(taskId, flow, workerId, contextId, caller, newInput, reply, chainId, parentId, depth, attempt,
        enqueuedAt, eventId);
  }

  private static int skipSpace(String text, int from) {
    int at = from;
    while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
      at++;
    }
    return at;
  }

  /** The task with a null input (what a call's outbox entry keeps of the task that made it). */
  public JsonObject withoutInput() {
    return fields(null);
  }

  private JsonObject fields(Object inputValue) {
    JsonObject json = new JsonObject()
        .put("task_id", taskId)
        .put("flow", flow)
        .put("worker_id", workerId)
        .put("context_id", contextId)
        .put("caller_id", callerId())
        .put("input", inputValue)
        .put("reply", reply == null ? null : reply.toJson())
        .put("chain_id", chainId)
        .put("parent_id", parentId)
        .put("depth", depth)
        .put("attempt", attempt)
        .put("enqueued_at", enqueuedAt);
    return eventId == null ? json : json.put("event_id", eventId);
  }

  public static Task fromJson(JsonObject json) {
    return fromJson(json, json.getValue("input"));
  }

  private static Task fromJson(JsonObject json, Object input) {
    return new Task(
        json.getString("task_id"),
        json.getString("flow"),
        json.getString("worker_id"),
        json.getString("context_id"),
        Caller.of(json.getString("caller_id")),
        input,
        Reply.fromJson(json.getJsonObject("reply")),
        json.getString("chain_id"),
        json.getString("parent_id"),
        json.getInteger("depth", 0),
        json.getInteger("attempt", 1),
        json.getLong("enqueued_at", 0L),
        json.getString("event_id"));
  }

  /** {@code meta} as a flow sees it. */
  public JsonObject meta() {
    return new JsonObject()
        .put("task_id", taskId)
        .put("flow", flow)
        .put("worker_id", workerId)
        .put("context_id", contextId)
        .put("caller_id", callerId())
        .put("chain_id", chainId)
        .put("parent_id", parentId)
        .put("depth", depth)
        .put("attempt", attempt)
        .put("event_id", eventId);
  }
}
