package io.flowpay.script;

import io.flowpay.flow.Effects;
import io.flowpay.flow.FlowNames;
import io.flowpay.flow.RunError;
import io.flowpay.flow.RunResult;
import io.flowpay.flow.RunStatus;
import io.flowpay.flow.Task;
import io.flowpay.stripe.StripeResources;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.script.CompiledScript;
import javax.script.ScriptException;

/**
 * Runs flow scripts ({@code <flowsDir>/<flow>.js}) in a JavaScript sandbox: each run gets a fresh
 * global with only the names a flow may see ({@code input}, {@code meta}, {@code ctx},
 * {@code stripe}, {@code flow}, {@code log}, {@code print}, and in a response/error flow
 * {@code response}/{@code parsed_data} or {@code error}/{@code parsed_error}, {@code request} and
 * {@code carry}; in a main flow those last six are {@code undefined}). A run does no I/O: what it
 * decides comes back as {@link Effects}. Thread-safe; one instance serves every worker of a process.
 */
public final class FlowEngine {

  private static final System.Logger LOG = System.getLogger(FlowEngine.class.getName());

  private final FlowFiles files;
  private final StripeResources resources;
  private final Sandbox sandbox;
  private final CompiledFlows flows;

  /** Builds the engine and its prelude once (a few hundred ms); flows compile on first use. */
  public FlowEngine(Path flowsDir, StripeResources resources) {
    this.files = new FlowFiles(flowsDir);
    this.resources = resources;
    this.sandbox = new Sandbox(resources.toScriptTable().encode());
    this.flows = new CompiledFlows(files, sandbox);
  }

  /**
   * Runs {@code task.flow()} once in a fresh sandboxed global. Blocking: call it on a worker
   * thread, never an event loop. Never throws: a missing or broken flow, or a script that throws,
   * gives status FAILED with a {@link RunError} and keeps only the run's log lines.
   *
   * @param snapshot the context's state, key to JSON text
   */
  public RunResult run(Task task, Map<String, String> snapshot) {
    long startedAt = System.currentTimeMillis();
    long start = System.nanoTime();
    Effects effects = new Effects();
    RunError error = runFlow(task, snapshot, effects);
    long micros = (System.nanoTime() - start) / 1_000;
    return error == null
        ? new RunResult(RunStatus.OK, effects, null, startedAt, micros)
        : new RunResult(RunStatus.FAILED, logsOf(effects), error, startedAt, micros);
  }

  /** Whether {@code flows/<flow>.js} exists. */
  public boolean exists(String flow) {
    return FlowNames.isValid(flow) && Files.isRegularFile(files.path(flow));
  }

  /** Compiles every {@code *.js} under the flows directory: one problem per file that cannot run. */
  public List<FlowProblem> check() {
    List<FlowProblem> problems = new ArrayList<>();
    try {
      for (Path file : files.list()) {
        checkFile(file, problems);
      }
    } catch (IOException e) {
      problems.add(new FlowProblem(files.dir(), 0, "cannot read the flows directory: " + e));
    }
    return problems;
  }

  private void checkFile(Path file, List<FlowProblem> problems) {
    String flow = files.nameOf(file);
    if (!FlowNames.isValid(flow)) {
      problems.add(new FlowProblem(file, 0, ScriptFailures.invalidName(flow).message()));
      return;
    }
    try {
      flows.load(flow);
    } catch (ScriptException e) {
      problems.add(new FlowProblem(file, Math.max(e.getLineNumber(), 0), ScriptFailures.syntaxMessage(e)));
    } catch (IOException e) {
      problems.add(new FlowProblem(file, 0, "cannot read: " + e));
    }
  }

  private RunError runFlow(Task task, Map<String, String> snapshot, Effects effects) {
    String flow = task.flow();
    if (!FlowNames.isValid(flow)) {
      return ScriptFailures.invalidName(flow);
    }
    String file = files.display(flow);
    try {
      return evaluate(flows.load(flow), task, snapshot, effects);
    } catch (NoSuchFileException e) {
      return ScriptFailures.notFound(flow, file);
    } catch (IOException e) {
      return ScriptFailures.unreadable(file, e);
    } catch (ScriptException e) {
      return ScriptFailures.syntax(e, file);
    }
  }

  private RunError evaluate(CompiledScript script, Task task, Map<String, String> snapshot, Effects effects) {
    String file = files.display(task.flow());
    try {
      Host host = new Host(new ContextState(snapshot, effects), new StripeCalls(resources, task, effects),
          new Dispatches(task, effects), effects);
      sandbox.evaluate(script, sandbox.newGlobal(host, task));
      return null;
    } catch (ScriptException | RuntimeException | StackOverflowError e) {
      LOG.log(Level.DEBUG, () -> "flow " + file + " of task " + task.taskId() + " failed: " + e);
      return ScriptFailures.thrown(e, file);
    }
  }

  private static Effects logsOf(Effects effects) {
    Effects logs = new Effects();
    effects.logs().forEach(line -> logs.log(line.level(), line.message()));
    return logs;
  }
}
