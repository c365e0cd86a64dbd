package io.flowpay.cli;

import io.flowpay.config.ScriptLimits;
import io.flowpay.failure.FlowpayFailure;
import io.flowpay.flow.Call;
import io.flowpay.flow.Delayed;
import io.flowpay.flow.Effects;
import io.flowpay.flow.LogLine;
import io.flowpay.flow.RunResult;
import io.flowpay.flow.Task;
import io.flowpay.script.FlowEngine;
import io.flowpay.stripe.StripeResources;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * {@code flowpay try} without a flow: a prompt that evaluates flow lines, one statement or expression a line,
 * against a context snapshot with the bindings and sandbox of a run ({@code ctx}, {@code stripe}, {@code flow},
 * {@code log}, {@code input}, {@code meta}; {@code response}/{@code error} with {@code --answer}/{@code --error}).
 * The lines kept so far are one scratch flow: each new line runs after them, in a new run of the engine, and what
 * it added (its value, state writes, calls with their form bodies, dispatches, timers, log lines) is printed.
 * Nothing is committed or sent. A line that fails is reported and dropped.
 */
final class TryRepl {

  static final String FLOW = "repl";
  private static final String MARK = "\u001frepl-value ";
  private static final String SHOW = "(function (v) { try { var s = JSON.stringify(v); return s === undefined ? String(v)"
      + " : s; } catch (e) { return String(v); } })";

  private final Task task;
  private final Map<String, String> state;
  private final boolean fromRedis;
  private final Duration budget;
  private final ScriptLimits limits;
  private final PrintWriter out;
  private final List<String> kept = new ArrayList<>();
  private Effects before;
  private int runs;

  TryRepl(Task task, Map<String, String> state, boolean fromRedis, Duration budget, ScriptLimits limits,
      PrintWriter out) {
    this.task = task;
    this.state = state;
    this.fromRedis = fromRedis;
    this.budget = budget;
    this.limits = limits;
    this.out = out;
  }

  int run(InputStream stdin) throws IOException {
    Path dir = Files.createTempDirectory("flowpay-try");
    try {
      FlowEngine engine = new FlowEngine(dir, StripeResources.standard(), budget, limits);
      boolean interactive = System.console() != null && stdin == System.in;
      out.printf("try: flow lines in context %s on worker %s (%s); nothing is committed or sent. One statement or"
          + " expression a line; .exit or end of input ends.%n", task.contextId(), task.workerId(),
          fromRedis ? "state read from Redis: " + state.size() + " key(s)" : "a new, empty context");
      BufferedReader lines = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
      while (true) {
        if (interactive) {
          out.print("> ");
        }
        out.flush();
        String line = lines.readLine();
        if (line == null || line.strip().equals(".exit")) {
          break;
        }
        if (!interactive) {
          out.println("> " + line);
        }
        if (!line.isBlank()) {
          evaluate(engine, dir, line);
        }
      }
      out.flush();
      return ExitCodes.OK;
    } finally {
      delete(dir);
    }
  }

  private void evaluate(FlowEngine engine, Path dir, String line) throws IOException {
    String expression = line.strip().replaceAll(";+$", "");
    String prefix = kept.isEmpty() ? "" : String.join("\n", kept) + "\n";
    RunResult result = run(engine, dir, prefix + "log.info('" + MARK + "' + " + SHOW + "((" + expression + "\n)));");
    boolean isExpression = result.ok() || !isSyntaxError(result);
    if (!isExpression) {
      result = run(engine, dir, prefix + line);
    }
    if (!result.ok()) {
      out.printf("error    %s: %s%n", result.error().code(), result.error().message());
      return;
    }
    kept.add(line);
    printAdded(result.effects());
    if (isExpression) {
      result.effects().logs().stream().filter(log -> log.message().startsWith(MARK)).reduce((a, b) -> b)
          .ifPresent(value -> out.println("= " + value.message().substring(MARK.length())));
    }
  }

  private RunResult run(FlowEngine engine, Path dir, String source) throws IOException {
    // A new file for each run: the engine's cache knows a flow by its file's name and time.
    String name = FLOW + "_" + (++runs);
    Files.writeString(dir.resolve(name + ".js"), source);
    Task scratch = new Task(task.taskId(), name, task.workerId(), task.contextId(), task.caller(), task.input(),
        task.reply(), task.chainId(), task.parentId(), task.depth(), task.attempt(), task.enqueuedAt(), task.eventId());
    return engine.run(scratch, state);
  }

  private static boolean isSyntaxError(RunResult result) {
    return result.error() != null && result.error().code().equals(FlowpayFailure.Kind.FLOW_INVALID.code());
  }

  /** Prints what this run did beyond the run before it (the kept lines' own effects are printed already). */
  private void printAdded(Effects effects) {
    Map<String, String> earlier = before == null ? Map.of() : before.writes();
    Map<String, String> writes = new HashMap<>(effects.writes());
    writes.forEach((key, value) -> {
      if (!earlier.containsKey(key) || !Objects.equals(earlier.get(key), value)) {
        out.printf(value == null ? "state    del %s%n" : "state    set %s = %s%n", key, value);
      }
    });
    List<Call> calls = effects.calls();
    for (Call call : calls.subList(before == null ? 0 : Math.min(before.calls().size(), calls.size()), calls.size())) {
      out.printf("call     %s %s -> %s | %s%n", call.method(), call.path(), call.onSuccess(), call.onError());
      out.printf("         %s %s%n", call.method().equals("POST") ? "body" : "query", call.form());
    }
    List<Task> dispatches = effects.dispatches();
    for (Task dispatched : dispatches.subList(before == null ? 0 : Math.min(before.dispatches().size(),
        dispatches.size()), dispatches.size())) {
      out.printf("dispatch %s %s worker=%s context=%s%n", dispatched.flow(), dispatched.inputJson(),
          dispatched.workerId(), dispatched.contextId());
    }
    List<Delayed> timers = effects.delayed();
    for (Delayed timer : timers.subList(before == null ? 0 : Math.min(before.delayed().size(), timers.size()),
        timers.size())) {
      out.printf("after    %d ms %s %s%n", timer.delayMs(), timer.task().flow(), timer.task().inputJson());
    }
    List<LogLine> logs = effects.logs().stream().filter(log -> !log.message().startsWith(MARK)).toList();
    long earlierLogs = before == null ? 0 : before.logs().stream().filter(log -> !log.message().startsWith(MARK)).count();
    logs.stream().skip(earlierLogs).forEach(log -> out.printf("log      %-5s %s%n", log.level(), log.message()));
    before = effects;
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(file -> {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      // a temp folder left behind is harmless
    }
  }
}
