package io.flowpay.flowtest;

/**
 * How one flow test ended.
 *
 * @param file the test file as given ({@code flows/examples/refund/refund.test.js})
 * @param outcome {@code passed}; {@code failed}: an expectation did not hold; {@code error}: the test itself broke
 *     (a JavaScript error, a file that does not load)
 * @param message why it failed, or null
 * @param where file:line of the failing expectation or error, or null
 * @param detail what helps to see why (the runs of the test), or null
 */
public record TestResult(String file, String name, String outcome, String message, String where, String detail,
    long durationMs) {

  public boolean passed() {
    return outcome.equals("passed");
  }
}
