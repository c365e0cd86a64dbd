package io.flowpay.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU time of this JVM's JIT compiler threads (C1 and C2), read from Linux's {@code /proc/self/task}: how much of a
 * round's CPU per operation is the JIT still compiling rather than the operations. A lower bound: a compiler thread
 * that ends during a round (the JVM removes idle ones) takes its time with it.
 */
final class JitCpu {

  /** What {@link #nanos()} answers where there is no {@code /proc}. */
  static final long UNKNOWN = -1;

  /** Linux reports thread times in USER_HZ ticks, 100 per second on every architecture. */
  private static final long NANOS_PER_TICK = 10_000_000L;
  /** Thread names as {@code /proc} keeps them: cut to 15 characters. */
  private static final List<String> COMPILERS = List.of("C1 CompilerThre", "C2 CompilerThre");

  private JitCpu() {
  }

  /** The compiler threads' CPU time so far, in nanoseconds, or {@link #UNKNOWN}. */
  static long nanos() {
    try (Stream<Path> threads = Files.list(Path.of("/proc/self/task"))) {
      return threads.mapToLong(JitCpu::ticksOf).sum() * NANOS_PER_TICK;
    } catch (IOException | UncheckedIOException | SecurityException noProc) {
      return UNKNOWN;
    }
  }

  /** Microseconds per operation between two readings of {@link #nanos()}, or NaN when either is unknown. */
  static double microsPerOp(long startNanos, long endNanos, double ops) {
    if (startNanos == UNKNOWN || endNanos == UNKNOWN) {
      return Double.NaN;
    }
    return Math.max(0, endNanos - startNanos) / ops / 1e3;
  }

  /**
   * User + system ticks of one thread's {@code stat} line when the thread is a JIT compiler thread, else 0. The name
   * is between the first '(' and the last ')' (a name may hold either); utime and stime are the 14th and 15th fields.
   */
  static long compilerTicks(String stat) {
    int open = stat.indexOf('(');
    int close = stat.lastIndexOf(')');
    if (open < 0 || close < open || COMPILERS.stream().noneMatch(stat.substring(open + 1, close)::startsWith)) {
      return 0;
    }
    String[] fields = stat.substring(close + 2).trim().split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  private static long ticksOf(Path thread) {
    try {
      return compilerTicks(Files.readString(thread.resolve("stat")));
    } catch (IOException ended) {
      return 0;  // the thread ended between the listing and the read
    }
  }
}
