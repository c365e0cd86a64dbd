package io.flowpay;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * {@code flowpay serve --config <file>} in a child JVM, as an operator runs it: started, awaited until it says
 * it is serving, killed ({@code kill -9}) or stopped. Its output is kept for a failing test's message.
 */
public final class FlowpayProcess implements AutoCloseable {

  private final Process process;
  private final List<String> output = new CopyOnWriteArrayList<>();

  private FlowpayProcess(Process process) {
    this.process = process;
  }

  /** Starts the process and returns once it printed {@code flowpay: serving} (at most 90 s). */
  public static FlowpayProcess serve(Path config, Map<String, String> env) throws IOException {
    Path jar = Path.of("target", "flowpay.jar");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
        Files.exists(jar) ? jar.toString() : System.getProperty("java.class.path"),
        "io.flowpay.Main", "serve", "--config", config.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove("REDIS_URL");
    builder.environment().putAll(env);
    FlowpayProcess child = new FlowpayProcess(builder.start());
    CompletableFuture<Void> serving = new CompletableFuture<>();
    Thread pump = new Thread(() -> child.pump(serving), "flowpay-child-output");
    pump.setDaemon(true);
    pump.start();
    try {
      serving.orTimeout(90, TimeUnit.SECONDS).join();
    } catch (RuntimeException notServing) {
      child.close();
      throw new AssertionError("flowpay serve did not start serving: " + child.output(), notServing);
    }
    return child;
  }

  private void pump(CompletableFuture<Void> serving) {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        output.add(line);
        if (line.startsWith("flowpay: serving")) {
          serving.complete(null);
        }
      }
    } catch (IOException closed) {
      // the process was killed
    }
    serving.completeExceptionally(new IllegalStateException("flowpay serve exited"));
  }

  /** What the process printed so far, last 40 lines. */
  public String output() {
    List<String> lines = List.copyOf(output);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  /** Lines printed so far that contain {@code text}. */
  public List<String> lines(String text) {
    return output.stream().filter(line -> line.contains(text)).toList();
  }

  /** {@code kill -9}. */
  @Override
  public void close() {
    try {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
