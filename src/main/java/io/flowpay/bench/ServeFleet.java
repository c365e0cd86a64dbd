package io.flowpay.bench;

import io.flowpay.failure.FlowpayFailure;
import io.flowpay.queue.Leases;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.redis.client.Redis;
import io.flowpay.worker.FlowpayNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * {@code processes} {@code flowpay serve} children sharing one pool of worker ids through leases. They
 * are stopped (SIGTERM: each drains and releases its leases; killed with what they started if they do
 * not stop in time) by {@link #close}, and by a shutdown hook when the bench itself is stopped
 * (Ctrl-C, SIGTERM) or fails: no serve process outlives the bench.
 */
final class ServeFleet implements AutoCloseable {

  private static final long START_TIMEOUT_MS = 120_000;
  private static final long POLL_MS = 200;

  private final List<ServeChild> children = new CopyOnWriteArrayList<>();
  private final List<String> ids;
  private final long stopGraceMs;
  private final Thread hook = new Thread(this::stop, "flowpay-bench-stop-serve-processes");
  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
  private final Leases leases;
  private boolean closed;

  private ServeFleet(List<String> ids, io.flowpay.config.RedisOptions redis, long stopGraceMs) {
    this.ids = List.copyOf(ids);
    this.stopGraceMs = stopGraceMs;
    this.leases = new Leases(Redis.createClient(vertx, FlowpayNode.redisOptions(redis, 2)));
  }

  /**
   * Starts the children (all at once) on {@code config}, which names {@code ids}; returns once each
   * says it serves. Fails, with the last output of the one that failed, when one exits or hangs.
   *
   * @param logs folder for each child's output, {@code serve-<processes>p-<i>.log}
   * @param stopGraceMs how long a child gets to drain and stop before it is killed
   */
  static ServeFleet start(int processes, Path config, List<String> ids, io.flowpay.config.RedisOptions redis,
      String stripeKey, Path logs, long stopGraceMs) {
    ServeFleet fleet = new ServeFleet(ids, redis, stopGraceMs);
    Runtime.getRuntime().addShutdownHook(fleet.hook);
    try {
      for (int i = 1; i <= processes; i++) {
        fleet.children.add(ServeChild.start(i, config, stripeKey, logs.resolve("serve-" + processes + "p-" + i
            + ".log")));
      }
      fleet.children.forEach(child -> child.awaitServing(START_TIMEOUT_MS));
      return fleet;
    } catch (RuntimeException failed) {
      fleet.close();
      throw failed;
    }
  }

  /**
   * Waits until every worker id is held and leases are spread: each child holds at least one and none
   * more than its fair share ({@code ceil(ids / processes)}, what the pool aims at). Answers how many
   * each child holds, by pid. Fails naming the holders when it does not happen within {@code timeoutMs}.
   */
  Map<Long, Integer> awaitSpread(long timeoutMs) {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    int share = (ids.size() + children.size() - 1) / children.size();
    Map<Long, Integer> held = held();
    while (!spread(held, share)) {
      children.forEach(ServeChild::requireAlive);
      if (System.nanoTime() > deadline) {
        throw new FlowpayFailure(FlowpayFailure.Kind.CONFIG_INVALID, "bench: the " + children.size() + " serve"
            + " processes did not spread the leases of " + ids.size() + " worker ids within " + timeoutMs / 1000
            + " s (leases held, by pid: " + held + "); see their logs");
      }
      pause(POLL_MS);
      held = held();
    }
    return held;
  }

  private boolean spread(Map<Long, Integer> held, int share) {
    int total = held.values().stream().mapToInt(Integer::intValue).sum();
    return total == ids.size() && held.values().stream().allMatch(count -> count >= 1 && count <= share);
  }

  /** Leases held by each child, by pid (a token is {@code host/pid/random/random}). */
  Map<Long, Integer> held() {
    List<String> holders = leases.holders(ids).await();
    Map<Long, Integer> held = new LinkedHashMap<>();
    for (ServeChild child : children) {
      String mark = "/" + child.pid() + "/";
      held.put(child.pid(), (int) holders.stream().filter(token -> token != null && token.contains(mark)).count());
    }
    return held;
  }

  /** Worker ids whose lease anybody still holds. */
  List<String> leasesHeld() {
    List<String> holders = leases.holders(ids).await();
    List<String> held = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      if (holders.get(i) != null) {
        held.add(ids.get(i));
      }
    }
    return held;
  }

  /** CPU time all children used so far. */
  long cpuNanos() {
    return children.stream().mapToLong(ServeChild::cpuNanos).sum();
  }

  /** Fails with the last output of a child that is no longer running. */
  void requireAlive() {
    children.forEach(ServeChild::requireAlive);
  }

  List<ServeChild> children() {
    return List.copyOf(children);
  }

  /** {@link #stop}, then forgets the shutdown hook and disconnects. */
  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs (or ran) stop
    }
    leases.close();
    vertx.close().await();
  }

  /**
   * Stops every child: all asked at once (they drain and release their leases), then each waited for; a
   * child that does not stop in time is killed with what it started. Once only.
   */
  synchronized void stop() {
    if (closed) {
      return;
    }
    closed = true;
    long asked = System.nanoTime();
    children.forEach(ServeChild::requestStop);
    for (ServeChild child : children) {
      boolean stopped = child.awaitStop(stopGraceMs);
      System.err.printf("flowpay bench: serve process %d (pid %d) %s %d ms after it was asked to stop%n", child.index(),
          child.pid(), stopped ? "stopped" : "did not stop in time: killed", (System.nanoTime() - asked) / 1_000_000);
    }
  }

  /** The bench's clock on its own thread (never an event loop): a timer, not a sleep. */
  static void pause(long millis) {
    new CompletableFuture<Void>().completeOnTimeout(null, millis, TimeUnit.MILLISECONDS).join();
  }
}
