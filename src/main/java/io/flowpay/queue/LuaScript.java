package io.flowpay.queue;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script kept in {@code src/main/resources/lua/}, run with EVALSHA and sent whole (EVAL)
 * only when Redis does not know it yet (first use, or after a restart flushed its script cache).
 * Each script has one typed twin in this package ({@code <Name>Script}) that writes its KEYS and ARGV
 * and decodes its answer; callers use the twin, not this class.
 */
public final class LuaScript {

  private static final String LIBRARY = "lib";

  private final String name;
  private final String source;
  private final String sha;

  private LuaScript(String name, String source) {
    this.name = name;
    this.source = source;
    this.sha = sha1(source);
  }

  /** The script {@code lua/<name>.lua}, with the shared functions of {@code lua/lib.lua} before it. */
  public static LuaScript load(String name) {
    return new LuaScript(name, resource(LIBRARY) + resource(name));
  }

  private static String resource(String name) {
    try (InputStream in = LuaScript.class.getResourceAsStream("/lua/" + name + ".lua")) {
      if (in == null) {
        throw new IllegalStateException("missing resource /lua/" + name + ".lua");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Future<Response> run(Redis redis, List<String> keys, List<String> args) {
    return run(redis, prepare(keys, args));
  }

  /** Encodes a run of this script with these keys and arguments, ready to send (any thread may do this). */
  public Call prepare(List<String> keys, List<String> args) {
    return new Call(request(Command.EVALSHA, sha, keys, args), keys, args);
  }

  public Future<Response> run(Redis redis, Call call) {
    return redis.send(call.evalsha())
        .recover(error -> isNoScript(error)
            ? redis.send(request(Command.EVAL, source, call.keys(), call.args()))
            : Future.failedFuture(error));
  }

  /** One encoded run of the script. */
  public record Call(Request evalsha, List<String> keys, List<String> args) {}

  String name() {
    return name;
  }

  private static Request request(Command command, String script, List<String> keys, List<String> args) {
    Request request = Request.cmd(command).arg(script).arg(keys.size());
    keys.forEach(request::arg);
    args.forEach(request::arg);
    return request;
  }

  private static boolean isNoScript(Throwable error) {
    return error.getMessage() != null && error.getMessage().startsWith("NOSCRIPT");
  }

  private static String sha1(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
