package io.flowpay.queue;

import io.flowpay.flow.FlowVersion;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Uploaded flow versions in Redis: each flow's versions with their history and audit trail, which one
 * is current, and a generation counter bumped on every change, which each process polls to know when
 * to read the current versions again. Upload and restore are atomic Lua steps.
 */
public final class FlowStore {

  /** Audit entries kept per flow (the newest). */
  static final int AUDIT_LIMIT = 1000;

  private final Redis redis;
  private final LuaScript put = LuaScript.load("flow_put");
  private final LuaScript restore = LuaScript.load("flow_restore");

  public FlowStore(Redis redis) {
    this.redis = redis;
  }

  /** What an upload did: made a new version, or found the same text current already. */
  public record Put(boolean changed, FlowVersion version) {}

  /** Flow → its current uploaded version (a hash). */
  public static String currentKey() {
    return "flowpay:flows:current";
  }

  /** Version number → version (a hash). */
  public static String versionsKey(String flow) {
    return "flowpay:flows:versions:" + flow;
  }

  /** Who uploaded or restored which version, when (a stream). */
  public static String auditKey(String flow) {
    return "flowpay:flows:audit:" + flow;
  }

  /** Bumped by every upload and restore. */
  public static String generationKey() {
    return "flowpay:flows:generation";
  }

  /** The generation: it changes whenever a flow's current uploaded version does. */
  public Future<Long> generation() {
    return redis.send(Request.cmd(Command.GET).arg(generationKey()))
        .map(answer -> answer == null ? 0L : answer.toLong());
  }

  /** Every flow's current uploaded version. */
  public Future<Map<String, FlowVersion>> current() {
    return redis.send(Request.cmd(Command.HGETALL).arg(currentKey())).map(answer -> {
      Map<String, FlowVersion> versions = new HashMap<>();
      values(answer).forEach(version -> versions.put(version.flow(), version));
      return versions;
    });
  }

  /** Makes {@code text} the flow's current version (checked by the caller), with an audit entry. */
  public Future<Put> put(String flow, String text, String digest, String by, long now) {
    List<String> keys = List.of(currentKey(), versionsKey(flow), auditKey(flow), generationKey());
    return put.run(redis, keys, List.of(flow, text, digest, by, String.valueOf(now)))
        .map(answer -> new Put(answer.get(0).toInteger() == 1, decode(answer.get(1))))
        .compose(done -> trim(flow).map(done));
  }

  /** Makes version {@code version} current again, with an audit entry; null when there is no such version. */
  public Future<FlowVersion> restore(String flow, long version, String by, long now) {
    List<String> keys = List.of(currentKey(), versionsKey(flow), auditKey(flow), generationKey());
    return restore.run(redis, keys, List.of(flow, String.valueOf(version), by, String.valueOf(now)))
        .map(answer -> answer.get(0).toInteger() == 1 ? decode(answer.get(1)) : null)
        .compose(done -> trim(flow).map(done));
  }

  /** Every uploaded version of the flow, oldest first. */
  public Future<List<FlowVersion>> versions(String flow) {
    return redis.send(Request.cmd(Command.HGETALL).arg(versionsKey(flow))).map(answer -> {
      List<FlowVersion> versions = new ArrayList<>(values(answer));
      versions.sort(Comparator.comparingLong(FlowVersion::version));
      return versions;
    });
  }

  /** The flow's audit entries, newest first: {@code {action, version, digest, by, at}}. */
  public Future<List<JsonObject>> audit(String flow, int limit) {
    Request range = Request.cmd(Command.XREVRANGE).arg(auditKey(flow)).arg("+").arg("-").arg("COUNT").arg(limit);
    return redis.send(range).map(FlowStore::entries);
  }

  private Future<Void> trim(String flow) {
    return redis.send(Request.cmd(Command.XTRIM).arg(auditKey(flow)).arg("MAXLEN").arg("~").arg(AUDIT_LIMIT))
        .mapEmpty();
  }

  private static List<JsonObject> entries(Response response) {
    List<JsonObject> entries = new ArrayList<>();
    response.forEach(entry -> {
      JsonObject json = new JsonObject();
      Response fields = entry.get(1);
      for (int i = 0; i + 1 < fields.size(); i += 2) {
        json.put(fields.get(i).toString(), fields.get(i + 1).toString());
      }
      entries.add(json.put("version", Long.parseLong(json.getString("version")))
          .put("at", java.time.Instant.ofEpochMilli(Long.parseLong(json.getString("at"))).toString()));
    });
    return entries;
  }

  /** The values of a hash read with HGETALL (RESP2: field, value, field, value, ...). */
  private static List<FlowVersion> values(Response hash) {
    List<FlowVersion> values = new ArrayList<>();
    for (int i = 1; hash != null && i < hash.size(); i += 2) {
      values.add(decode(hash.get(i)));
    }
    return values;
  }

  private static FlowVersion decode(Response stored) {
    return FlowVersion.fromStored(new JsonObject(stored.toString()));
  }
}
