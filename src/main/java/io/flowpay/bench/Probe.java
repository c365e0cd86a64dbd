package io.flowpay.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.OperatingSystemMXBean;
import io.flowpay.failure.FlowpayFailure;
import io.flowpay.queue.InfoLines;
import io.flowpay.standin.CannedStripe;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * What a round cost: this process's CPU time (less the stand-in's thread) and of it the JIT's ({@link JitCpu}),
 * Redis's CPU time (from {@code INFO cpu}), the heap's peak (used heap just before each GC, and at the round's end) and the
 * live heap (used heap after a {@code System.gc()} at the round's end, with the load still running).
 */
final class Probe implements AutoCloseable, NotificationListener {

  private static final double MB = 1024.0 * 1024.0;

  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
  private final Redis redis;
  private final CannedStripe standIn;
  private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
      .filter(pool -> pool.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
  private final AtomicLong peakHeap = new AtomicLong();

  /** Fails with a message saying how to fix it when Redis cannot be reached. */
  Probe(String redisUrl, CannedStripe standIn) {
    this.redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(redisUrl));
    this.standIn = standIn;
    try {
      redis.send(Request.cmd(Command.PING)).await();
    } catch (Exception unreachable) { // await() rethrows the connect failure as it is, checked or not
      close();
      throw new FlowpayFailure(FlowpayFailure.Kind.REDIS_UNAVAILABLE, "cannot reach the Redis of REDIS_URL ("
          + unreachable.getMessage() + "): start it, or unset REDIS_URL to use the embedded one");
    }
    ManagementFactory.getGarbageCollectorMXBeans()
        .forEach(gc -> ((NotificationEmitter) gc).addNotificationListener(this, null, null));
  }

  /** Where the counters stand at a round's start; resets the heap peak. */
  Mark mark() {
    peakHeap.set(usedHeap());
    return new Mark(os.getProcessCpuTime() - standIn.cpuNanos(), redisCpuNanos(), JitCpu.nanos());
  }

  /** The round that began at {@code start} and whose window was {@code window}. */
  Round round(Mark start, Recorder.Window window) {
    long cpu = os.getProcessCpuTime() - standIn.cpuNanos() - start.cpuNanos();
    long redisCpu = redisCpuNanos() - start.redisCpuNanos();
    long peak = Math.max(peakHeap.get(), usedHeap());
    double ops = Math.max(1, window.ops());
    return new Round(window.opsPerSecond(), window.p50Nanos() / 1e6, window.p99Nanos() / 1e6, cpu / ops / 1e3,
        redisCpu / ops / 1e3, peak / MB, liveHeap() / MB, window.errors(),
        JitCpu.microsPerOp(start.jitNanos(), JitCpu.nanos(), ops));
  }

  /** What Redis has counted so far: calls per command, requests read, bytes in and out. */
  RedisCounts counts() {
    return StandaloneRedis.counts(redis);
  }

  /** Used heap after a full collection, in bytes. */
  long liveHeap() {
    System.gc();
    return usedHeap();
  }

  /** Redis's {@code used_memory}, in bytes. */
  long redisMemory() {
    return (long) InfoLines.number(info("memory"), "used_memory");
  }

  private long redisCpuNanos() {
    return StandaloneRedis.cpuNanos(info("cpu"));
  }

  private String info(String section) {
    return redis.send(Request.cmd(Command.INFO).arg(section)).await().toString();
  }

  private static long usedHeap() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  @Override
  public void handleNotification(Notification notification, Object handback) {
    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
      Map<String, MemoryUsage> before = GarbageCollectionNotificationInfo
          .from((CompositeData) notification.getUserData()).getGcInfo().getMemoryUsageBeforeGc();
      long used = before.entrySet().stream().filter(pool -> heapPools.contains(pool.getKey()))
          .mapToLong(pool -> pool.getValue().getUsed()).sum();
      peakHeap.accumulateAndGet(used, Math::max);
    }
  }

  @Override
  public void close() {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      try {
        ((NotificationEmitter) gc).removeNotificationListener(this);
      } catch (javax.management.ListenerNotFoundException e) {
        // not registered: nothing to remove
      }
    }
    redis.close();
    vertx.close().await();
  }

  record Mark(long cpuNanos, long redisCpuNanos, long jitNanos) {}
}
