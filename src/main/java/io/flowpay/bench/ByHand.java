package io.flowpay.bench;

import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.RedisOptions;
import javax.script.Compilable;
import javax.script.CompiledScript;
import javax.script.ScriptEngine;
import javax.script.ScriptException;
import org.openjdk.nashorn.api.scripting.NashornScriptEngineFactory;

/** What the hand-written modes ({@link CeilingLoad}, {@link FloorLoad}) set up alike: Nashorn, and their Redis clients. */
final class ByHand {

  private ByHand() {
  }

  /** A Nashorn engine as Flowpay's flows get one: ES6, no Java, no syntax extensions, no class visible. */
  static ScriptEngine engine() {
    return new NashornScriptEngineFactory().getScriptEngine(
        new String[] {"--language=es6", "--no-java", "--no-syntax-extensions"}, ByHand.class.getClassLoader(), name -> false);
  }

  static CompiledScript compile(ScriptEngine engine, String source) {
    try {
      return ((Compilable) engine).compile(source);
    } catch (ScriptException e) {
      throw new IllegalStateException("bench script does not compile: " + e.getMessage(), e);
    }
  }

  /** A pooled client that queues rather than refuses under the bench's load. */
  static RedisOptions redisOptions(String url, int poolSize) {
    return new RedisOptions().setConnectionString(url).setMaxPoolSize(poolSize).setMaxPoolWaiting(4096)
        .setMaxWaitingHandlers(4096).setPreferredProtocolVersion(ProtocolVersion.RESP2);
  }
}
