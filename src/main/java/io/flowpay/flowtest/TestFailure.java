package io.flowpay.flowtest;

/** An expectation of a flow test that did not hold, with where in the test file it was written. */
final class TestFailure extends RuntimeException {

  private final String where;

  TestFailure(String message, String where) {
    super(message, null, false, false);
    this.where = where;
  }

  /** {@code flows/x.test.js:12}, or null when no line of a test file was on the stack. */
  String where() {
    return where;
  }

  /** The innermost line of a {@code *.test.js} on the current stack (Nashorn names compiled frames by file). */
  static String here() {
    for (StackTraceElement frame : new Throwable().getStackTrace()) {
      String file = frame.getFileName();
      if (file != null && file.endsWith(".test.js") && frame.getLineNumber() > 0) {
        return file + ":" + frame.getLineNumber();
      }
    }
    return null;
  }
}
