package io.flowpay.flowtest;

/**
 * Keeps the tests of one {@code flowpay test} run apart in one Redis: test {@code n} of run {@code r} works in
 * contexts {@code ft<r>-<n>.<name>}, {@code <name>} being what the test calls its context ({@code test} unless it
 * says). A flow sees the whole id in {@code meta.context_id}.
 */
record Namespace(String run) {

  String context(String test, String name) {
    return "ft" + run + "-" + test + "." + name;
  }

  /** The test a context belongs to, or null for a context of no test of this run. */
  String testOf(String contextId) {
    String prefix = "ft" + run + "-";
    if (contextId == null || !contextId.startsWith(prefix)) {
      return null;
    }
    int dot = contextId.indexOf('.', prefix.length());
    return dot < 0 ? null : contextId.substring(prefix.length(), dot);
  }
}
