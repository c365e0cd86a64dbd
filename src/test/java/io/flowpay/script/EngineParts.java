package io.flowpay.script;

import io.flowpay.config.ScriptLimits;
import io.flowpay.stripe.StripeResources;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link FlowEngine} built from parts a test keeps, to look at them: its sandbox (how many hardened globals it
 * built), its compiled-flow cache, and run budgets other than a CPU budget (memory, no first-run grace).
 */
final class EngineParts {

  final Sandbox sandbox;
  final CompiledFlows flows;
  final FlowEngine engine;
  private final AtomicInteger globalsBuilt = new AtomicInteger();

  EngineParts(Path flowsDir) {
    this(flowsDir, FlowEngine.limits(FlowEngine.DEFAULT_CPU_BUDGET));
  }

  EngineParts(Path flowsDir, RunBudget.Limits limits) {
    this(flowsDir, limits, new ScriptLimits());
  }

  EngineParts(Path flowsDir, RunBudget.Limits limits, ScriptLimits scriptLimits) {
    StripeResources resources = StripeResources.standard();
    FlowFiles files = new FlowFiles(flowsDir);
    this.sandbox = FlowEngine.sandbox(resources, limits, globalsBuilt::incrementAndGet);
    this.flows = new CompiledFlows(files, sandbox, null);
    this.engine = new FlowEngine(files, resources, limits, scriptLimits, sandbox, flows);
  }

  /** An engine with these budgets, as serve builds one for a CPU budget. */
  static FlowEngine engine(Path flowsDir, RunBudget.Limits limits) {
    return new EngineParts(flowsDir, limits).engine;
  }

  /** How many hardened globals the sandbox built so far. */
  int globalsBuilt() {
    return globalsBuilt.get();
  }
}
