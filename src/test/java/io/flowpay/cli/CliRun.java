package io.flowpay.cli;

import io.flowpay.Main;
import io.flowpay.TestRedis;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Runs a {@code flowpay} command line in this JVM as a user would, and writes the config file it is pointed at. */
final class CliRun {

  /** The exit code, and what the command printed to stdout and stderr. */
  record Result(int code, String out, String err) {}

  private CliRun() {}

  static Result flowpay(String... args) {
    return flowpay(Map.of(), args);
  }

  /** With {@code env} as the process's environment (e.g. {@code REDIS_URL}). */
  static Result flowpay(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(env, new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  /** Writes {@code dir/flowpay.json} (the test Redis, one worker, the flows folder); its path, for {@code --config}. */
  static String config(Path dir, TestRedis redis, Path flows, String worker) throws IOException {
    JsonObject config = new JsonObject()
        .put("redis", new JsonObject().put("url", redis.url()))
        .put("workers", List.of(worker))
        .put("flowsDir", flows.toString());
    return Files.writeString(dir.resolve("flowpay.json"), config.encode()).toString();
  }
}
