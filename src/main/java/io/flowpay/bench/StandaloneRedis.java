package io.flowpay.bench;

import io.flowpay.failure.FlowpayFailure;
import io.flowpay.queue.InfoLines;
import io.flowpay.standin.EmbeddedRedis;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;

/** One redis-server for every serve process: the bench's embedded one (closed with it), or {@code REDIS_URL}'s. */
final class StandaloneRedis implements FleetRedis {

  private final String url;
  private final EmbeddedRedis embedded;
  private final String description;
  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
  private final Redis client;
  /** The embedded server's context switches; null for REDIS_URL's (maybe another machine's). */
  private final ServerSwitches switches;

  /** The bench's embedded server, closed with this; {@code description} says how it runs. */
  static StandaloneRedis embedded(EmbeddedRedis server, String description) {
    return new StandaloneRedis(server.url(), server, "embedded, " + description);
  }

  /** {@code REDIS_URL}'s server, left running. */
  static StandaloneRedis external(String url) {
    return new StandaloneRedis(url, null, "from REDIS_URL");
  }

  /**
   * @param embedded the server the bench started, closed with this; null for {@code REDIS_URL}'s
   * @param description how it runs (persistence), for the notes
   */
  private StandaloneRedis(String url, EmbeddedRedis embedded, String description) {
    this.url = url;
    this.embedded = embedded;
    this.description = description;
    this.client = Redis.createClient(vertx, new RedisOptions().setConnectionString(url));
    try {
      client.send(Request.cmd(Command.PING)).await();
    } catch (Exception unreachable) { // await() rethrows the connect failure as it is, checked or not
      close();
      throw new FlowpayFailure(FlowpayFailure.Kind.REDIS_UNAVAILABLE, "cannot reach the Redis of REDIS_URL ("
          + unreachable.getMessage() + "): start it, or unset REDIS_URL to use the embedded one");
    }
    this.switches = embedded == null ? null : ServerSwitches.of(client);
  }

  @Override
  public JsonObject configSection() {
    return new JsonObject().put("url", url).put("mode", "standalone");
  }

  /** From {@code INFO cpu}: {@code used_cpu_user} + {@code used_cpu_sys}, the server's whole process. */
  @Override
  public long cpuNanos() {
    return cpuNanos(client.send(Request.cmd(Command.INFO).arg("cpu")).await().toString());
  }

  @Override
  public RedisCounts counts() {
    RedisCounts counts = counts(client);
    return switches == null ? counts : switches.add(counts);
  }

  /** One server's counters: {@code INFO commandstats} and {@code INFO stats}. */
  static RedisCounts counts(Redis server) {
    return RedisCounts.parse(server.send(Request.cmd(Command.INFO).arg("commandstats")).await().toString(),
        server.send(Request.cmd(Command.INFO).arg("stats")).await().toString());
  }

  /** The CPU time an {@code INFO cpu} answer reports. */
  static long cpuNanos(String info) {
    return (long) ((InfoLines.number(info, "used_cpu_user") + InfoLines.number(info, "used_cpu_sys")) * 1e9);
  }

  @Override
  public String describe() {
    return "standalone, " + description;
  }

  @Override
  public void close() {
    try {
      client.close();
      vertx.close().await();
    } finally {
      if (embedded != null) {
        embedded.close();
      }
    }
  }
}
