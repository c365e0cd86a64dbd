package io.flowpay.script;

import java.nio.file.Path;

/**
 * One thing {@code flowpay check} (and {@code serve}, when it loads a flow) found in a flow file:
 * where, how bad, what, and how to fix it. {@code flows/main.js:3:17: error: stripe.customers.crate
 * is not a verb Flowpay knows: did you mean stripe.customers.create? ...}
 *
 * @param line 1-based
 * @param column 1-based
 * @param fix how to fix it; empty when the message says it already
 */
public record FlowFinding(Path file, int line, int column, Severity severity, String message, String fix) {

  /** An error stops a flow from loading (and fails {@code check}); a warning fails only {@code check --strict}. */
  public enum Severity {
    ERROR, WARNING;

    @Override
    public String toString() {
      return name().toLowerCase();
    }
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  @Override
  public String toString() {
    return file + ":" + Math.max(line, 1) + ":" + Math.max(column, 1) + ": " + severity + ": " + message
        + (fix.isEmpty() ? "" : ": " + fix);
  }
}
