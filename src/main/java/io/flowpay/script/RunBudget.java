package io.flowpay.script;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.nashorn.api.scripting.AbstractJSObject;

/**
 * One run's allowance of CPU time and allocated memory, measured on the thread that runs the flow.
 * The prelude's guards call it from JavaScript: {@code budget()} every so many loop iterations and
 * function calls (it looks at the clock and says when to call again, about once per millisecond of
 * CPU), and {@code budget(e)} from every {@code catch}, to rethrow what a flow must not handle.
 * The {@link Watchdog} reads the same counters from its own thread.
 */
final class RunBudget extends AbstractJSObject {

  /** Why a run was cut short. */
  enum Overrun { CPU, MEMORY }

  /**
   * The limits of a flow's runs.
   *
   * @param cpuNanos the CPU budget of a run, as configured
   * @param memoryBytes how much a run may allocate, garbage included
   * @param firstRunGraceNanos CPU time a compiled flow's first run may use on top (Nashorn links a
   *     script's call sites when they first run)
   */
  record Limits(long cpuNanos, long memoryBytes, long firstRunGraceNanos) {}

  /** Thrown into the flow when the budget is spent; flows cannot catch it (see {@link LoopGuard}). */
  static final class Exceeded extends Error {

    Exceeded(Overrun overrun) {
      super("flow exceeded its " + overrun.name() + " budget");
    }
  }

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final boolean CPU_TIME = THREADS.isThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();
  private static final boolean ALLOCATION =
      THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled();
  private static final int FIRST_CHECK = 64;
  private static final int MAX_CHECK = 1 << 16;
  private static final long CHECK_NANOS = 1_000_000;

  private final Limits limits;
  private final long softCpuNanos;
  private final long hardCpuNanos;
  private final long hardMemoryBytes;
  private final Thread thread = Thread.currentThread();
  private long cpuStart;
  private long allocatedStart;
  private final AtomicReference<Overrun> overrun = new AtomicReference<>();
  private volatile boolean deathSeen;
  private volatile boolean stopped;
  private Exceeded exceeded;
  private int every = FIRST_CHECK;
  private long lastCheck;

  /**
   * For a run on the calling thread: create it on the thread that runs the flow; it counts from
   * {@link #start()}. The watchdog steps in only past the hard limits, which leave the guard time to
   * end the run cleanly.
   */
  RunBudget(Limits limits, boolean firstRun) {
    this.limits = limits;
    this.softCpuNanos = limits.cpuNanos() + (firstRun ? limits.firstRunGraceNanos() : 0);
    this.hardCpuNanos = softCpuNanos + Math.max(limits.cpuNanos() / 2, 100_000_000L);
    this.hardMemoryBytes = limits.memoryBytes() + limits.memoryBytes() / 2;
  }

  /** Starts counting, when the flow starts (the prelude's work before it does not count); on the run's thread. */
  void start() {
    cpuStart = cpu();
    allocatedStart = allocated();
    lastCheck = 0;
  }

  Limits limits() {
    return limits;
  }

  /** Why the run was cut short, or null. */
  Overrun overrun() {
    return overrun.get();
  }

  /** Whether a flow's {@code catch} saw the watchdog's ThreadDeath (and rethrew it). */
  boolean deathSeen() {
    return deathSeen;
  }

  @Override
  public boolean isFunction() {
    return true;
  }

  /** {@code budget()}: the next check in so many guard passes; {@code budget(e)}: rethrows a Java throwable. */
  @Override
  public Object call(Object thiz, Object... args) {
    if (args.length == 0) {
      return check();
    }
    caught(args[0]);
    return null;
  }

  private int check() {
    if (overrun.get() != null) {
      throw exceeded();
    }
    long cpu = cpu() - cpuStart;
    if (cpu > softCpuNanos) {
      throw stop(Overrun.CPU);
    }
    if (allocated() - allocatedStart > limits.memoryBytes()) {
      throw stop(Overrun.MEMORY);
    }
    long since = cpu - lastCheck;
    lastCheck = cpu;
    if (since < CHECK_NANOS / 4) {
      every = Math.min(every * 2, MAX_CHECK);
    } else if (since > CHECK_NANOS * 4) {
      every = Math.max(every / 2, 1);
    }
    return every;
  }

  /** What a flow's catch block got: a JS value goes on; a Java throwable never stays caught. */
  private void caught(Object value) {
    if (value instanceof ThreadDeath) {
      deathSeen = true;
    }
    if (value instanceof Error error) {
      throw error;
    }
    if (value instanceof RuntimeException exception) {
      throw exception;
    }
    if (value instanceof Throwable other) {
      throw new IllegalStateException("a flow caught a Java exception: " + other, other);
    }
    if (overrun.get() != null) {
      throw exceeded();
    }
  }

  private Exceeded stop(Overrun why) {
    overrun.compareAndSet(null, why);
    return exceeded();
  }

  private Exceeded exceeded() {
    if (exceeded == null) {
      exceeded = new Exceeded(overrun.get());
    }
    return exceeded;
  }

  /** Called by the watchdog: the hard limit this run's thread has passed, or null. */
  Overrun passedHardLimit() {
    if (cpu(thread) - cpuStart > hardCpuNanos) {
      return Overrun.CPU;
    }
    return allocated(thread) - allocatedStart > hardMemoryBytes ? Overrun.MEMORY : null;
  }

  /** Called by the watchdog before it stops the thread: the guard fails every later check too. */
  void overrunBy(Overrun why) {
    overrun.compareAndSet(null, why);
  }

  /** Called by the watchdog once it stopped the thread. */
  void stopped() {
    stopped = true;
  }

  /** Whether the watchdog stopped the thread (the run's compiled code may have been cut mid-way). */
  boolean wasStopped() {
    return stopped;
  }

  /** CPU time of the calling thread; wall time where the JVM cannot measure thread CPU time. */
  private static long cpu() {
    return CPU_TIME ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
  }

  private static long cpu(Thread thread) {
    return CPU_TIME ? THREADS.getThreadCpuTime(thread.getId()) : System.nanoTime();
  }

  private static long allocated() {
    return ALLOCATION ? THREADS.getCurrentThreadAllocatedBytes() : 0;
  }

  private static long allocated(Thread thread) {
    return ALLOCATION ? THREADS.getThreadAllocatedBytes(thread.getId()) : 0;
  }
}
