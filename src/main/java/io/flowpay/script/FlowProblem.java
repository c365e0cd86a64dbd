package io.flowpay.script;

import java.nio.file.Path;

/**
 * A flow file that cannot run: it does not compile, or its name is not a flow name.
 * {@code flowpay check} prints one per line.
 *
 * @param line 1-based, or 0 when the problem is the file as a whole
 */
public record FlowProblem(Path file, int line, String message) {

  /** {@code flows/x.js:3: SyntaxError: Expected ; but found y} */
  @Override
  public String toString() {
    return file + (line > 0 ? ":" + line : "") + ": " + message;
  }
}
