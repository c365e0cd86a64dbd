package io.flowpay.script;

import io.flowpay.flow.Task;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.script.Bindings;
import javax.script.Compilable;
import javax.script.CompiledScript;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptException;
import org.openjdk.nashorn.api.scripting.NashornException;
import org.openjdk.nashorn.api.scripting.NashornScriptEngineFactory;
import org.openjdk.nashorn.api.scripting.ScriptObjectMirror;

/**
 * One Nashorn engine with Java access switched off (no {@code Java}/{@code Packages}, a class
 * filter that exposes no class), and one hardened, frozen global per script thread, reused by every
 * run on that thread (a global is not thread-safe). A run's names are arguments of its flow, never
 * global properties, so nothing of one run is left for the next (see {@link Prelude}); a global that
 * saw a Java error or a watchdog stop is thrown away, and so is one whose check after the run
 * ({@code unchanged}: every shared object still frozen, no internal slot of a shared built-in moved) fails. Compiled scripts are shared between globals and
 * threads. Flows are compiled with the loop guard ({@link LoopGuard}) and run under the {@link Watchdog}.
 */
final class Sandbox {

  private static final System.Logger LOG = System.getLogger(Sandbox.class.getName());
  // Eager compilation: a flow's functions compile with the flow, not on first call inside its CPU budget.
  private static final String[] OPTIONS =
      {"--language=es6", "--no-java", "--no-syntax-extensions", "--lazy-compilation=false"};

  /** {@code flows/x.js:2:16 ES6 generator is not yet implemented}: Nashorn's compiler on ES6 it lacks. */
  private static final Pattern UNSUPPORTED = Pattern.compile("^.*?:(\\d+):(\\d+) (.*)$");

  private final ScriptEngine engine;
  private final CompiledScript prelude;
  private final String stripeTable;
  private final String javaMembers = JavaMembers.ofPrimitives();
  private final Object compileLock = new Object();
  private final LoopGuard guard = new LoopGuard();
  private final Watchdog watchdog;
  private final ThreadLocal<Global> globals = new ThreadLocal<>();
  private final Runnable onNewGlobal;

  /**
   * @param watchIntervalNanos how often the watchdog looks at a running flow
   * @param onNewGlobal called each time a hardened global is built (after a fresh thread's first run, or one that
   *     may have damaged its global)
   */
  Sandbox(String stripeTable, long watchIntervalNanos, Runnable onNewGlobal) {
    this.onNewGlobal = onNewGlobal;
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

  /**
   * Compiles a script as it is (no loop guard); its errors and stack lines name {@code fileName}.
   * Syntax Nashorn parses but cannot compile (generators, classes, destructuring, spread) is a
   * {@link ScriptException} at its line too, not a bare RuntimeException.
   */
  CompiledScript compile(String source, String fileName) throws ScriptException {
    synchronized (compileLock) {
      engine.getContext().setAttribute(ScriptEngine.FILENAME, fileName, ScriptContext.ENGINE_SCOPE);
      try {
        return ((Compilable) engine).compile(source);
      } catch (RuntimeException unsupported) {
        throw unsupported(unsupported, fileName);
      }
    }
  }

  private static ScriptException unsupported(RuntimeException e, String fileName) {
    String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    Matcher at = UNSUPPORTED.matcher(first);
    if (!at.matches()) {
      throw e;
    }
    String what = at.group(3).replace(" is not yet implemented", " is not supported in flows")
        .replace(" are not yet implemented", " are not supported in flows");
    String message = fileName + ":" + at.group(1) + ":" + at.group(2) + " " + what;
    ScriptException syntax = new ScriptException(message, fileName, Integer.parseInt(at.group(1)),
        Integer.parseInt(at.group(2)));
    syntax.initCause(new IllegalArgumentException(message, e));  // what ScriptFailures.syntaxMessage reads
    return syntax;
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

  /**
   * A script thread's hardened global, reused by every run on that thread: the prelude's {@code run}
   * and each flow's factory, evaluated in this global once.
   */
  static final class Global {

    private final Bindings bindings;
    private final ScriptObjectMirror run;
    private final ScriptObjectMirror unchanged;
    private final FrozenObjects shared = new FrozenObjects();
    private final Map<CompiledScript, Object> factories = new WeakHashMap<>();

    private Global(Bindings bindings, ScriptObjectMirror entries) {
      this.bindings = bindings;
      this.run = (ScriptObjectMirror) entries.getMember("run");
      this.unchanged = (ScriptObjectMirror) entries.getMember("unchanged");
      ((ScriptObjectMirror) entries.getMember("handOver")).call(null, shared);
      shared.seal();
    }

    /** Whether every shared object is still frozen and no internal slot of a shared built-in moved. */
    boolean unchanged() {
      try {
        return Boolean.TRUE.equals(unchanged.call(null)) && shared.stillFrozen();
      } catch (RuntimeException | StackOverflowError broken) {
        return false;
      }
    }

    /** How many objects the global shares between runs (all frozen). */
    int sharedObjects() {
      return shared.size();
    }

    private Object factory(CompiledScript flow) throws ScriptException {
      Object factory = factories.get(flow);
      if (factory == null) {
        factory = flow.eval(bindings);
        factories.put(flow, factory);
      }
      return factory;
    }
  }

  /** This thread's global: built on its first run, and again after a run that may have damaged it. */
  Global global() throws ScriptException {
    Global global = globals.get();
    if (global == null) {
      global = newGlobal();
      globals.set(global);
    }
    return global;
  }

  /** A new hardened global: the prelude run, the facades built, everything reachable frozen. */
  Global newGlobal() throws ScriptException {
    onNewGlobal.run();
    Bindings bindings = engine.createBindings();
    ScriptObjectMirror setup = (ScriptObjectMirror) prelude.eval(bindings);
    return new Global(bindings, (ScriptObjectMirror) setup.call(null, stripeTable, javaMembers));
  }

  /**
   * Runs a flow compiled by {@link #compileFlow} in this thread's global, with {@code task}'s names
   * and {@code host}, under the watchdog. Returns what ended it: null when it returned, else what it
   * threw, including the {@link ThreadDeath} of a watchdog stop. Never throws. The host is closed
   * afterwards; the global is thrown away unless the run returned or threw a JavaScript error and the
   * global's check finds it unchanged.
   *
   * @param what names the run in the watchdog's log line
   */
  Throwable run(CompiledScript flow, Host host, Task task, RunBudget budget, String what) {
    Global global;
    try {
      global = global();
    } catch (ScriptException | RuntimeException | OutOfMemoryError | StackOverflowError e) {
      globals.remove();
      return e;
    }
    String input = task.inputJson();
    String meta = task.meta().encode();
    String reply = task.reply() == null ? null : task.reply().toJson().encode();
    Throwable thrown = watchdog.run(budget, what,
        () -> global.run.call(null, global.factory(flow), host, input, meta, reply, budget));
    host.close();
    if (!reusable(thrown, budget) || !global.unchanged()) {
      globals.remove();
    }
    return thrown;
  }

  /**
   * Whether a global is fit for the next run after one that ended with {@code thrown}: only when the
   * run returned or threw a JavaScript error. A Java error (stack overflow, out of memory, the budget,
   * a watchdog stop) may have cut Nashorn's or the prelude's work short anywhere.
   */
  private static boolean reusable(Throwable thrown, RunBudget budget) {
    if (budget.overrun() != null || budget.wasStopped()) {
      return false;
    }
    Throwable cause = thrown instanceof ScriptException && thrown.getCause() != null ? thrown.getCause() : thrown;
    return cause == null || cause instanceof NashornException;
  }
}
