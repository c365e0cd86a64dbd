package io.flowpay.queue;

import io.flowpay.flow.Task;
import io.vertx.core.Future;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.Map;

/** A context's state (with its version) and its newest run records. Writes go through {@link RunCommits}. */
public final class ContextStore {

  private final Redis redis;
  private final LoadScript load;
  private final ContextHomes homes;

  ContextStore(QueueScope scope) {
    this.redis = scope.redis();
    this.load = new LoadScript(scope);
    this.homes = new ContextHomes(redis);
  }

  /**
   * What a run of {@code task} starts from: its context's state and version, and whether its flow
   * is disabled. One round trip.
   */
  public Future<Snapshot> load(Task task) {
    return load.run(task);
  }

  /** The context's state, found by its id alone (see {@link ContextHomes}). */
  public Future<Snapshot> snapshot(String context) {
    return homes.contextKey(context).compose(key -> redis.send(Request.cmd(Command.HGETALL).arg(key)))
        .map(ContextStore::toSnapshot);
  }

  /** The context's state as JSON values, without internal keys. */
  public Future<JsonObject> contextState(String context) {
    return snapshot(context).map(snapshot -> {
      JsonObject state = new JsonObject();
      snapshot.values().forEach((key, json) -> state.put(key, Json.decodeValue(json)));
      return state;
    });
  }

  /** The context's newest {@code count} run records, newest first. */
  public Future<JsonArray> runs(String context, int count) {
    return homes.runsKey(context).compose(key -> redis.send(Request.cmd(Command.XREVRANGE).arg(key).arg("+").arg("-")
        .arg("COUNT").arg(count))).map(ContextStore::records);
  }

  static Snapshot toSnapshot(Response response) {
    Map<String, String> values = Fields.toMap(response);
    String version = values.remove("_version");
    return new Snapshot(version == null ? "0" : version, values);
  }

  /** Run records of a stream ({@code run} field of each entry), in the order read. */
  static JsonArray records(Response response) {
    JsonArray records = new JsonArray();
    response.forEach(entry -> {
      Response fields = entry.get(1);
      if (fields != null && fields.size() >= 2) {
        records.add(new JsonObject(fields.get(1).toString()));
      }
    });
    return records;
  }
}
