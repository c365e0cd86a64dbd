package io.flowpay.queue;

import io.flowpay.flow.FlowNames;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every flow file of a folder with what Redis knows of it: {@code ok}, {@code failing} (its last runs failed, not
 * yet disabled) or {@code disabled}, and its last error. For {@code flowpay flow list} and the console.
 */
public final class FlowHealth {

  private FlowHealth() {}

  /** The flows of {@code dir} (sorted), each as {@code {flow, status, failures_in_a_row, last_error, last_failed_at, disabled_at}}. */
  public static Future<List<JsonObject>> list(Redis redis, Path dir) {
    return of(redis, names(dir));
  }

  /** The health of each named flow, in the order given (file or uploaded: health is by name). */
  public static Future<List<JsonObject>> of(Redis redis, List<String> names) {
    if (names.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return new QueueReader(redis).workerIds().compose(workers -> {
      List<JsonObject> flows = new ArrayList<>();
      Future<List<JsonObject>> done = Future.succeededFuture(flows);
      for (String name : names) {
        done = done.compose(so -> FlowSwitches.states(redis, name, workers).map(state -> {
          flows.add(health(name, state));
          return flows;
        }));
      }
      return done;
    });
  }

  private static JsonObject health(String name, java.util.Map<String, String> state) {
    long failures = Long.parseLong(state.getOrDefault("failures", "0"));
    String status = state.containsKey("disabled_at") ? "disabled" : failures > 0 ? "failing" : "ok";
    JsonObject json = new JsonObject().put("flow", name).put("status", status).put("failures_in_a_row", failures);
    json.put("last_error", state.get("last_error"));
    json.put("last_failed_at", millis(state.get("last_failed_at")));
    json.put("disabled_at", millis(state.get("disabled_at")));
    return json;
  }

  private static Long millis(String text) {
    return text == null || text.isEmpty() ? null : Long.parseLong(text);
  }

  /** Flow names of the {@code .js} files (not {@code .test.js}) under {@code dir}, sub-folders as {@code a/b}. */
  static List<String> names(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(file -> FlowNames.isFlowFile(file) && Files.isRegularFile(file))
          .map(file -> dir.relativize(file).toString().replace('\\', '/'))
          .map(name -> name.substring(0, name.length() - 3))
          .sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the flows in " + dir, e);
    }
  }
}
