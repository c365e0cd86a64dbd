package io.flowpay.script;

import io.flowpay.flow.Task;
import io.vertx.core.json.Json;
import java.lang.System.Logger.Level;
import javax.script.Bindings;
import javax.script.Compilable;
import javax.script.CompiledScript;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptException;
import org.openjdk.nashorn.api.scripting.NashornScriptEngineFactory;
import org.openjdk.nashorn.api.scripting.ScriptObjectMirror;

/**
 * One Nashorn engine with Java access switched off (no {@code Java}/{@code Packages}, a class
 * filter that exposes no class), and a fresh hardened global per run. Compiled scripts are shared
 * between globals and threads; a global never is. Flows are compiled with the loop guard
 * ({@link LoopGuard}) and run under the {@link Watchdog}.
 */
final class Sandbox {

  private static final System.Logger LOG = System.getLogger(Sandbox.class.getName());
  // Eager compilation: a flow's functions compile with the flow, not on first call inside its CPU budget.
  private static final String[] OPTIONS =
      {"--language=es6", "--no-java", "--no-syntax-extensions", "--lazy-compilation=false"};

  private final ScriptEngine engine;
  private final CompiledScript prelude;
  private final String stripeTable;
  private final String javaMembers = JavaMembers.ofPrimitives();
  private final Object compileLock = new Object();
  private final LoopGuard guard = new LoopGuard();
  private final Watchdog watchdog;

  /** @param watchIntervalNanos how often the watchdog looks at a running flow */
  Sandbox(String stripeTable, long watchIntervalNanos) {
    this.engine = new NashornScriptEngineFactory()
        .getScriptEngine(OPTIONS, Sandbox.class.getClassLoader(), className -> false);
    this.stripeTable = stripeTable;
    this.watchdog = new Watchdog(watchIntervalNanos);
    try {
      this.prelude = compile(Prelude.SOURCE, Prelude.FILE);
    } catch (ScriptException e) {
      throw new IllegalStateException("the flow prelude does not compile: " + e.getMessage(), e);
    }
  }

  /** Compiles a script as it is (no loop guard); its errors and stack lines name {@code fileName}. */
  CompiledScript compile(String source, String fileName) throws ScriptException {
    synchronized (compileLock) {
      engine.getContext().setAttribute(ScriptEngine.FILENAME, fileName, ScriptContext.ENGINE_SCOPE);
      return ((Compilable) engine).compile(source);
    }
  }

  /**
   * Compiles a flow with the loop guard in it.
   *
   * @throws ScriptException a syntax error as Nashorn reports it, or a {@link LoopGuard.Refused}
   */
  CompiledScript compileFlow(String source, String file) throws ScriptException {
    String guarded;
    try {
      guarded = guard.insert(source, file);
    } catch (LoopGuard.Refused refused) {
      compile(source, file);
      throw refused;
    }
    try {
      return compile(guarded, file);
    } catch (ScriptException broken) {
      compile(source, file);
      LOG.log(Level.WARNING, () -> "the loop guard broke " + file + ", which compiles without it: " + broken);
      throw new LoopGuard.Refused("Flowpay cannot place its loop guard in this flow (" + broken.getMessage()
          + "); please report it", file, Math.max(broken.getLineNumber(), 0));
    }
  }

  /** A run's fresh global, and the prelude's {@code enter} that runs a guarded flow in it. */
  record Global(Bindings bindings, ScriptObjectMirror enter) {}

  /** A fresh global with the prelude run, {@code task}'s names bound to {@code host}, guarded by {@code budget}. */
  Global newGlobal(Host host, Task task, RunBudget budget) throws ScriptException {
    Bindings global = engine.createBindings();
    ScriptObjectMirror install = (ScriptObjectMirror) prelude.eval(global);
    String reply = task.reply() == null ? null : task.reply().toJson().encode();
    Object enter = install.call(null, host, Json.encode(task.input()), task.meta().encode(), reply, stripeTable,
        javaMembers, budget);
    return new Global(global, (ScriptObjectMirror) enter);
  }

  /**
   * Runs a flow compiled by {@link #compileFlow} in its global, on this thread, under the watchdog.
   * Returns what ended it: null when it returned, else what it threw, including the
   * {@link ThreadDeath} of a watchdog stop. Never throws.
   *
   * @param what names the run in the watchdog's log line
   */
  Throwable evaluate(CompiledScript flow, Global global, RunBudget budget, String what) {
    return watchdog.run(budget, what, () -> global.enter().call(null, flow.eval(global.bindings())));
  }
}
