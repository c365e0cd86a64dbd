package io.flowpay.worker;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.TestRedis;
import io.flowpay.flow.Task;
import io.flowpay.queue.ChainStatus;
import io.flowpay.queue.ChainWatch;
import io.flowpay.queue.RedisTaskQueue;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * For the tests that {@code kill -9} a real {@code flowpay serve} (CrashRecoveryIT, HeldAnswerIT): starting the
 * child JVM, killing it, and following a chain to its end once the dust settled.
 */
final class KilledServe {

  private KilledServe() {
  }

  /**
   * Starts {@code flowpay serve} in a child JVM and returns once it serves the worker id: it took the id's lease
   * (after a kill -9, once the dead process's lease expired).
   *
   * @param stripeKey the child's {@code STRIPE_SECRET_KEY} (a made-up test key; the stand-in takes any)
   */
  static Process serve(Path config, TestRedis redis, String stripeKey) throws IOException {
    Path jar = Path.of("target", "flowpay.jar");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", Files.exists(jar) ? jar.toString() : System.getProperty("java.class.path"),
        "io.flowpay.Main", "serve", "--config", config.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("STRIPE_SECRET_KEY", stripeKey);
    builder.environment().put("REDIS_URL", redis.url());
    Process process = builder.start();
    CompletableFuture<Void> serving = new CompletableFuture<>();
    Thread pump = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          if (line.contains(": lease taken;")) {
            serving.complete(null);
          }
        }
      } catch (IOException closed) {
        // the process was killed
      }
      serving.completeExceptionally(new AssertionError("flowpay serve exited before serving"));
    }, "killed-serve-output");
    pump.setDaemon(true);
    pump.start();
    serving.orTimeout(60, TimeUnit.SECONDS).join();
    return process;
  }

  /** kill -9, and wait until it is gone; nothing when {@code child} is null. */
  static void kill(Process child) throws InterruptedException {
    if (child != null) {
      child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** Follows a chain's run records until it is settled (blocking reads on Redis); returns them in order. */
  static List<JsonObject> settle(Vertx vertx, TestRedis redis, RedisTaskQueue queue, Task task) {
    List<JsonObject> runs = new ArrayList<>();
    Redis reader = Redis.createClient(vertx, new RedisOptions().setConnectionString(redis.url())
        .setPreferredProtocolVersion(ProtocolVersion.RESP2));
    try {
      ChainStatus status = ChainWatch.follow(queue, reader.connect().await(), task.chainId(), runs::add, 120_000)
          .await();
      assertTrue(status.settled(), "chain " + task.chainId() + " settled: " + status);
      return runs;
    } finally {
      reader.close();
    }
  }
}
