package io.flowpay.script;

import io.flowpay.config.ScriptLimits;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.script.ScriptException;

/**
 * Runs flow scripts ({@code <flowsDir>/<flow>.js}) in a JavaScript sandbox: each run sees only the
 * names a flow may see ({@code input}, {@code meta}, {@code ctx},
 * {@code stripe}, {@code flow}, {@code log}, {@code print}, and in a response/error flow
 * {@code response}/{@code parsed_data} or {@code error}/{@code parsed_error}, {@code request} and
 * {@code carry}; in a main flow those last six are {@code undefined}). A run does no I/O: what it
 * decides comes back as {@link Effects}. Every run has a CPU-time and a memory budget, kept by a loop
 * guard compiled into the flow and by a watchdog thread ({@link RunBudget}, {@link LoopGuard},
 * {@link Watchdog}). Thread-safe; one instance serves every worker of a process.
 */
public final class FlowEngine {

  /** How much CPU time one run may use when nothing else is configured. */
  public static final Duration DEFAULT_CPU_BUDGET = Duration.ofMillis(200);

  /**
   * How much memory one run may allocate (in total, garbage included). A flow decides on a Stripe
   * object and its context (kilobytes); 128 MB is hundreds of times what a busy flow allocates, yet
   * one per script thread still fits in a modest heap, so a flow that grows an array without end is
   * stopped long before it endangers its neighbours.
   */
  static final long DEFAULT_MEMORY_BUDGET = 128L << 20;

  /**
   * CPU time a compiled flow's first run may use on top of its budget: Nashorn links a script's call
   * sites when they first run (measured: 60–130 ms for a small flow in a cold JVM on a busy 2-core
   * machine, against 1–15 ms once warm).
   */
  static final long FIRST_RUN_GRACE_NANOS = 1_000_000_000L;

  private static final System.Logger LOG = System.getLogger(FlowEngine.class.getName());

  private final FlowFiles files;
  private final StripeResources resources;
  private final RunBudget.Limits limits;
  private final ScriptLimits scriptLimits;
  private final Sandbox sandbox;
  private final CompiledFlows flows;
  /** The worker ids contexts are placed over (see {@link #placingOver}); empty until told. */
  private volatile List<String> placement = List.of();

  /** Builds the engine with {@link #DEFAULT_CPU_BUDGET} per run. */
  public FlowEngine(Path flowsDir, StripeResources resources) {
    this(flowsDir, resources, DEFAULT_CPU_BUDGET);
  }

  /**
   * Builds the engine and its prelude once (a few hundred ms); flows compile on first use.
   *
   * @param cpuBudget CPU time one run may use ({@code worker.cpuBudgetMs}); past it the run ends
   *     {@link RunStatus#TIMED_OUT}
   */
  public FlowEngine(Path flowsDir, StripeResources resources, Duration cpuBudget) {
    this(flowsDir, resources, cpuBudget, new ScriptLimits());
  }

  /**
   * As {@link #FlowEngine(Path, StripeResources, Duration)}, with what one run may log, store, call and
   * dispatch ({@code worker.maxLogBytes}, ...).
   */
  public FlowEngine(Path flowsDir, StripeResources resources, Duration cpuBudget, ScriptLimits scriptLimits) {
    this(new FlowFiles(flowsDir), resources, limits(cpuBudget), scriptLimits, false);
  }

  /**
   * As {@link #FlowEngine(Path, StripeResources, Duration)}, and each version of a flow file is
   * checked ({@link FlowCheck}) before it loads: a version with errors does not load, and the one
   * loaded before it keeps running ({@code serve}).
   */
  public static FlowEngine checking(Path flowsDir, StripeResources resources, Duration cpuBudget,
      ScriptLimits scriptLimits) {
    return new FlowEngine(new FlowFiles(flowsDir), resources, limits(cpuBudget), scriptLimits, true);
  }

  private FlowEngine(FlowFiles files, StripeResources resources, RunBudget.Limits limits, ScriptLimits scriptLimits,
      boolean checked) {
    this(files, resources, limits, scriptLimits, sandbox(resources, limits, () -> {}), checked);
  }

  private FlowEngine(FlowFiles files, StripeResources resources, RunBudget.Limits limits, ScriptLimits scriptLimits,
      Sandbox sandbox, boolean checked) {
    this(files, resources, limits, scriptLimits, sandbox,
        new CompiledFlows(files, sandbox, checked ? new FlowCheck(files, resources) : null));
  }

  /** The engine from its parts; the constructors above build them. */
  FlowEngine(FlowFiles files, StripeResources resources, RunBudget.Limits limits, ScriptLimits scriptLimits,
      Sandbox sandbox, CompiledFlows flows) {
    this.files = files;
    this.resources = resources;
    this.limits = limits;
    this.scriptLimits = scriptLimits;
    this.sandbox = sandbox;
    this.flows = flows;
  }

  /** A run's budget for a CPU budget: {@link #DEFAULT_MEMORY_BUDGET}, and a grace for a flow's first run. */
  static RunBudget.Limits limits(Duration cpuBudget) {
    return new RunBudget.Limits(positive(cpuBudget).toNanos(), DEFAULT_MEMORY_BUDGET, FIRST_RUN_GRACE_NANOS);
  }

  /**
   * The sandbox for runs of {@code limits}: its watchdog looks a few times per CPU budget.
   *
   * @param onNewGlobal called each time the sandbox builds a hardened global
   */
  static Sandbox sandbox(StripeResources resources, RunBudget.Limits limits, Runnable onNewGlobal) {
    long watchInterval = Math.min(Math.max(limits.cpuNanos() / 4, 10_000_000L), 100_000_000L);
    return new Sandbox(resources.toScriptTable().encode(), watchInterval, onNewGlobal);
  }

  /**
   * Runs {@code task.flow()} once in this thread's sandboxed global (see {@link Sandbox}). Blocking: call it on a worker
   * thread, never an event loop. Never throws: a missing or broken flow, or a script that throws,
   * overflows its stack or runs out of memory gives status FAILED with a {@link RunError}; a script
   * that spends its CPU budget gives TIMED_OUT. Either way only the run's log lines are kept.
   *
   * @param snapshot the context's state, key to JSON text
   */
  public RunResult run(Task task, Map<String, String> snapshot) {
    long startedAt = System.currentTimeMillis();
    long start = System.nanoTime();
    Effects effects = new Effects();
    Ending ending = runFlow(task, snapshot, effects);
    long micros = (System.nanoTime() - start) / 1_000;
    return ending == null
        ? new RunResult(RunStatus.OK, effects, null, startedAt, micros)
        : new RunResult(ending.status(), logsOf(effects), ending.error(), startedAt, micros);
  }

  /** Whether {@code flows/<flow>.js} exists, or the flow has an uploaded version. */
  public boolean exists(String flow) {
    return FlowNames.isValid(flow) && files.exists(flow);
  }

  /** The uploaded versions this engine runs instead of the files they shadow. */
  public UploadedFlows uploaded() {
    return files.uploaded();
  }

  /**
   * What {@code flowpay check} would find in {@code source} were it the text of {@code flow}: an
   * invalid name, what {@link FlowCheck} finds, or else what compiling it reports. Blocking (it
   * parses and compiles): call it on a worker thread.
   */
  public List<FlowFinding> validate(String flow, String source) {
    if (!FlowNames.isValid(flow)) {
      return List.of(new FlowProblem(Path.of(files.display(String.valueOf(flow))), 0,
          ScriptFailures.invalidName(flow).message()).toFinding());
    }
    Path file = files.path(flow);
    List<FlowFinding> findings = new ArrayList<>(new FlowCheck(files, resources).check(file, source));
    if (findings.stream().noneMatch(FlowFinding::isError)) {
      try {
        sandbox.compileFlow(source, files.display(flow));
      } catch (ScriptException e) {
        findings.add(new FlowProblem(file, Math.max(e.getLineNumber(), 0), Math.max(e.getColumnNumber() + 1, 0),
            ScriptFailures.syntaxMessage(e)).toFinding());
      }
    }
    return findings;
  }

  /**
   * Places the contexts that flows dispatch to (a task for another context that names no worker) over
   * {@code workers}, as the API, the CLI and webhooks place them, so that a context's tasks all go to one worker.
   */
  public FlowEngine placingOver(List<String> workers) {
    placement = List.copyOf(workers);
    return this;
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
      problems.add(new FlowProblem(file, Math.max(e.getLineNumber(), 0), Math.max(e.getColumnNumber() + 1, 0),
          ScriptFailures.syntaxMessage(e)));
    } catch (IOException e) {
      problems.add(new FlowProblem(file, 0, "cannot read: " + e));
    }
  }

  /** How a run that did not succeed ended. */
  private record Ending(RunStatus status, RunError error) {

    static Ending failed(RunError error) {
      return new Ending(RunStatus.FAILED, error);
    }
  }

  private Ending runFlow(Task task, Map<String, String> snapshot, Effects effects) {
    String flow = task.flow();
    if (!FlowNames.isValid(flow)) {
      return Ending.failed(ScriptFailures.invalidName(flow));
    }
    String file = files.display(flow);
    try {
      CompiledFlows.Compiled compiled = flows.load(flow);
      Ending ending = evaluate(compiled, task, snapshot, effects);
      flows.ran(flow, compiled.script());
      return ending;
    } catch (NoSuchFileException e) {
      return Ending.failed(ScriptFailures.notFound(flow, file));
    } catch (IOException e) {
      return Ending.failed(ScriptFailures.unreadable(file, e));
    } catch (ScriptException e) {
      return Ending.failed(ScriptFailures.syntax(e, file));
    } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
      LOG.log(Level.WARNING, "flow " + file + " of task " + task.taskId() + " could not be loaded", e);
      return Ending.failed(ScriptFailures.thrown(e, file));
    }
  }

  private Ending evaluate(CompiledFlows.Compiled compiled, Task task, Map<String, String> snapshot, Effects effects) {
    String file = files.display(task.flow());
    RunBudget budget = new RunBudget(limits, !compiled.warm());
    Throwable thrown;
    try {
      Host host = new Host(new ContextState(snapshot, effects, scriptLimits),
          new StripeCalls(resources, task, effects, scriptLimits), new Dispatches(task, effects, scriptLimits, placement), effects,
          scriptLimits);
      thrown = sandbox.run(compiled.script(), host, task, budget, "flow " + file + " of task " + task.taskId());
    } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
      thrown = e;
    }
    if (budget.wasStopped()) {
      flows.evict(task.flow());
    }
    if (budget.overrun() != null) {
      return overrun(budget, thrown, file);
    }
    if (thrown == null) {
      return null;
    }
    Throwable failure = thrown;
    LOG.log(Level.DEBUG, () -> "flow " + file + " of task " + task.taskId() + " failed: " + failure);
    return Ending.failed(ScriptFailures.thrown(failure, file));
  }

  private static Ending overrun(RunBudget budget, Throwable thrown, String file) {
    return budget.overrun() == RunBudget.Overrun.CPU
        ? new Ending(RunStatus.TIMED_OUT, ScriptFailures.timedOut(budget.limits(), thrown, file))
        : Ending.failed(ScriptFailures.tooMuchMemory(budget.limits(), thrown, file));
  }

  private static Duration positive(Duration cpuBudget) {
    if (cpuBudget == null || cpuBudget.isNegative() || cpuBudget.isZero()) {
      throw new IllegalArgumentException("the CPU budget of a flow run (worker.cpuBudgetMs) must be positive, got "
          + cpuBudget);
    }
    return cpuBudget;
  }

  /** A stop may have cut a log call short: keep the lines that made it. */
  private static Effects logsOf(Effects effects) {
    Effects logs = new Effects();
    effects.logs().stream().filter(Objects::nonNull).forEach(line -> logs.log(line.level(), line.message()));
    return logs;
  }
}
