package io.flowpay.bench;

import io.flowpay.failure.FlowpayFailure;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One {@code flowpay serve} child JVM of the bench: the same java and classpath as this process, its
 * output (stdout and stderr together) written to a log file and its last lines kept for error messages.
 */
final class ServeChild {

  private static final int TAIL_LINES = 40;
  /** Environment variables a child keeps; everything else of the bench's environment (secrets included) stays here. */
  private static final List<String> KEPT_ENV = List.of("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "HOSTNAME",
      "JAVA_HOME");

  private final int index;
  private final Process process;
  private final ArrayDeque<String> tail = new ArrayDeque<>();
  private final CompletableFuture<Void> serving = new CompletableFuture<>();

  private ServeChild(int index, Process process) {
    this.index = index;
    this.process = process;
  }

  /**
   * Starts {@code flowpay serve --config config}; does not wait for it to serve ({@link #awaitServing}).
   *
   * @param stripeKey the stand-in's made-up key, the only secret-shaped value the child is given
   */
  static ServeChild start(int index, Path config, String stripeKey, Path log) {
    List<String> command = new ArrayList<>(List.of(javaCommand()));
    command.addAll(memoryFlags());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.flowpay.Main", "serve", "--config",
        config.toString(), "--status-every", "0"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.keySet().retainAll(KEPT_ENV);
    env.put("STRIPE_SECRET_KEY", stripeKey);
    try {
      ServeChild child = new ServeChild(index, builder.start());
      child.pump(log);
      return child;
    } catch (IOException e) {
      throw new FlowpayFailure(FlowpayFailure.Kind.CONFIG_INVALID, "cannot start a 'flowpay serve' process ("
          + String.join(" ", command.subList(0, 1)) + "): " + e.getMessage());
    }
  }

  /** The java of this process, as the OS reports it (else java.home's). */
  private static String javaCommand() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** This JVM's heap size and GC choice, so that each child runs as the in-process bench does. */
  static List<String> memoryFlags() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(arg -> arg.startsWith("-Xmx") || arg.startsWith("-Xms") || arg.matches("-XX:\\+Use\\w*GC"))
        .toList();
  }

  /** Reads the child's output for ever (a full pipe would stop it): into the log, and the last lines here. */
  private void pump(Path log) {
    Thread pump = new Thread(() -> {
      try (PrintStream file = new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8);
          BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
              StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          file.println(line);
          keep(line);
        }
      } catch (IOException closed) {
        // the process is gone; what it printed is kept
      }
      serving.completeExceptionally(new IllegalStateException("exited"));
    }, "flowpay-bench-serve-" + index + "-output");
    pump.setDaemon(true);
    pump.start();
  }

  private synchronized void keep(String line) {
    if (line.startsWith("flowpay: serving workers")) {
      serving.complete(null);
    }
    tail.addLast(line);
    if (tail.size() > TAIL_LINES) {
      tail.removeFirst();
    }
  }

  /** Waits until the child says it serves; fails with its exit code and last output when it exits or hangs. */
  void awaitServing(long timeoutMs) {
    try {
      serving.get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException slow) {
      throw failure("did not start serving within " + timeoutMs / 1000 + " s");
    } catch (java.util.concurrent.ExecutionException exited) {
      throw failure("exited before serving");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure("was interrupted while starting");
    }
  }

  /** Fails with the child's last output when it is no longer running. */
  void requireAlive() {
    if (!process.isAlive()) {
      throw failure("exited during the run");
    }
  }

  /** A failure naming this child, how it ended, and its last output lines. */
  FlowpayFailure failure(String what) {
    String exit = exited() ? "exit code " + process.exitValue() : "still running";
    return new FlowpayFailure(FlowpayFailure.Kind.CONFIG_INVALID, "bench: serve process " + index + " (pid "
        + process.pid() + ") " + what + " (" + exit + "); its last output:" + System.lineSeparator() + "  "
        + String.join(System.lineSeparator() + "  ", tail()));
  }

  /** Whether it has exited, allowing a moment for one whose output just ended. */
  private boolean exited() {
    try {
      return process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  synchronized List<String> tail() {
    return tail.isEmpty() ? List.of("(nothing)") : List.copyOf(tail);
  }

  long pid() {
    return process.pid();
  }

  int index() {
    return index;
  }

  boolean alive() {
    return process.isAlive();
  }

  /** CPU time (user + system, all threads) the child used so far, as the OS reports it; 0 once it is gone. */
  long cpuNanos() {
    return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }

  /**
   * Asks it to stop with {@code SIGTERM}, as an operator does: it drains its workers and releases their leases.
   * Through its handle, not {@link Process#destroy}, which would also close its output pipe and lose what it says
   * while it stops.
   */
  void requestStop() {
    process.toHandle().destroy();
  }

  /**
   * Waits up to {@code graceMs} for the stop asked by {@link #requestStop}, then kills it and anything it
   * started; true when it stopped by itself.
   */
  boolean awaitStop(long graceMs) {
    try {
      if (process.waitFor(graceMs, TimeUnit.MILLISECONDS)) {
        return true;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }
}
