package io.flowpay.script;

import io.flowpay.flow.Task;
import io.vertx.core.json.Json;
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
 * between globals and threads; a global never is.
 */
final class Sandbox {

  private static final String[] OPTIONS = {"--language=es6", "--no-java", "--no-syntax-extensions"};

  private final ScriptEngine engine;
  private final CompiledScript prelude;
  private final String stripeTable;
  private final String javaMembers = JavaMembers.ofPrimitives();
  private final Object compileLock = new Object();

  Sandbox(String stripeTable) {
    this.engine = new NashornScriptEngineFactory()
        .getScriptEngine(OPTIONS, Sandbox.class.getClassLoader(), className -> false);
    this.stripeTable = stripeTable;
    try {
      this.prelude = compile(Prelude.SOURCE, Prelude.FILE);
    } catch (ScriptException e) {
      throw new IllegalStateException("the flow prelude does not compile: " + e.getMessage(), e);
    }
  }

  /** Compiles a script whose errors and stack lines name {@code fileName}. */
  CompiledScript compile(String source, String fileName) throws ScriptException {
    synchronized (compileLock) {
      engine.getContext().setAttribute(ScriptEngine.FILENAME, fileName, ScriptContext.ENGINE_SCOPE);
      return ((Compilable) engine).compile(source);
    }
  }

  /** A fresh global with the prelude run and {@code task}'s names bound to {@code host}. */
  Bindings newGlobal(Host host, Task task) throws ScriptException {
    Bindings global = engine.createBindings();
    ScriptObjectMirror install = (ScriptObjectMirror) prelude.eval(global);
    String reply = task.reply() == null ? null : task.reply().toJson().encode();
    install.call(null, host, Json.encode(task.input()), task.meta().encode(), reply, stripeTable, javaMembers);
    return global;
  }

  /** Runs a flow in its global. The one place a loop guard or watchdog wraps. */
  void evaluate(CompiledScript flow, Bindings global) throws ScriptException {
    flow.eval(global);
  }
}
