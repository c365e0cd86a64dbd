package io.flowpay.script;

import io.flowpay.failure.FlowpayFailure;
import io.flowpay.failure.FlowpayFailure.Kind;
import io.flowpay.flow.FlowNames;
import io.flowpay.flow.RunError;
import java.util.Arrays;
import java.util.regex.Pattern;
import javax.script.ScriptException;
import org.openjdk.nashorn.api.scripting.NashornException;

/** Why a run failed, as the person who wrote the flow reads it: code, message, file and line. */
final class ScriptFailures {

  /** What Nashorn says when strict flow code assigns a name it did not declare (the global is frozen). */
  private static final Pattern NEW_GLOBAL =
      Pattern.compile("^TypeError: Cannot add new property \"(.*)\" to non-extensible \\[object global\\]$");

  private ScriptFailures() {}

  static RunError notFound(String flow, String file) {
    return new RunError(Kind.FLOW_NOT_FOUND.code(), "flow '" + flow + "' not found: create " + file, file, 0);
  }

  static RunError invalidName(String flow) {
    try {
      FlowNames.require(flow);
      return new RunError(Kind.FLOW_INVALID.code(), "flow name '" + flow + "' is not valid", null, 0);
    } catch (FlowpayFailure invalid) {
      return new RunError(invalid.code(), invalid.getMessage(), null, 0);
    }
  }

  static RunError unreadable(String file, Exception e) {
    return new RunError(Kind.FLOW_INVALID.code(), "cannot read " + file + ": " + e, file, 0);
  }

  static RunError syntax(ScriptException e, String file) {
    return new RunError(Kind.FLOW_INVALID.code(), syntaxMessage(e), file, Math.max(e.getLineNumber(), 0));
  }

  /**
   * {@code SyntaxError: Expected ; but found y}: Nashorn's first line without its file:line:column;
   * or why the loop guard refused the flow.
   */
  static String syntaxMessage(ScriptException e) {
    if (e instanceof LoopGuard.Refused refused) {
      return refused.reason();
    }
    if (e instanceof CompiledFlows.Rejected rejected) {
      return rejected.reason();
    }
    String message = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
    String first = message == null ? "" : message.lines().findFirst().orElse("");
    return "SyntaxError: " + first.replaceFirst("^.*?:\\d+:\\d+ ", "");
  }

  /** A run that threw: the JS message and the line of the flow file where it was thrown. */
  static RunError thrown(Throwable e, String file) {
    Throwable cause = e instanceof ScriptException && e.getCause() != null ? e.getCause() : e;
    return new RunError(Kind.SCRIPT_ERROR.code(), message(cause), file, line(cause, file));
  }

  /** The run spent its CPU budget; the line is where the guard or the watchdog caught it, when known. */
  static RunError timedOut(RunBudget.Limits limits, Throwable e, String file) {
    return new RunError(Kind.SCRIPT_TIMEOUT.code(), "flow ran longer than its " + limits.cpuNanos() / 1_000_000
        + " ms CPU budget (worker.cpuBudgetMs): look for a loop that never ends, endless recursion, or a regular"
        + " expression that backtracks", file, e == null ? 0 : line(e, file));
  }

  /** The run allocated more than its memory budget. */
  static RunError tooMuchMemory(RunBudget.Limits limits, Throwable e, String file) {
    return new RunError(Kind.SCRIPT_ERROR.code(), "flow allocated more than its " + (limits.memoryBytes() >> 20)
        + " MB memory budget: look for an array, object or string that grows without end", file,
        e == null ? 0 : line(e, file));
  }

  private static String message(Throwable e) {
    if (e instanceof NashornException) {
      return NEW_GLOBAL.matcher(e.getMessage()).replaceFirst(
          "ReferenceError: \"$1\" is not defined: declare it with var, let or const (a flow cannot create globals)");
    }
    if (e instanceof StackOverflowError) {
      return "RangeError: too much recursion (a function calls itself without end?)";
    }
    if (e instanceof OutOfMemoryError) {
      return "RangeError: out of memory (the JVM heap is full; does the flow build a huge array or string?)";
    }
    return "flow failed inside Flowpay: " + e;
  }

  private static int line(Throwable e, String file) {
    return Arrays.stream(NashornException.getScriptFrames(e))
        .filter(frame -> file.equals(frame.getFileName()))
        .mapToInt(StackTraceElement::getLineNumber)
        .findFirst()
        .orElse(0);
  }
}
