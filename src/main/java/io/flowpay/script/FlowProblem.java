package io.flowpay.script;

import java.nio.file.Path;

/**
 * A flow file that cannot run: it does not compile, or its name is not a flow name.
 * {@code flowpay check} prints one per line.
 *
 * @param line 1-based, or 0 when the problem is the file as a whole
 * @param column 1-based, or 0 when not known
 */
public record FlowProblem(Path file, int line, int column, String message) {

  public FlowProblem(Path file, int line, String message) {
    this(file, line, 0, message);
  }

  /** {@code flows/x.js:3: SyntaxError: Expected ; but found y} */
  @Override
  public String toString() {
    return file + (line > 0 ? ":" + line : "") + ": " + message;
  }

  /** As {@code flowpay check} prints it: an error at file:line:column, with how to fix it. */
  public FlowFinding toFinding() {
    String fix = message.startsWith("SyntaxError:") ? "fix the code there (flows are ES6 as Nashorn knows it: let,"
        + " const, arrow functions and template strings; no classes, destructuring, spread, promises or async)" : "";
    return new FlowFinding(file, line, column, FlowFinding.Severity.ERROR, message, fix);
  }
}
