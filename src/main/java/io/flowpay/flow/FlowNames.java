package io.flowpay.flow;

import io.flowpay.failure.FlowpayFailure;
import java.util.regex.Pattern;

/** Flow names: {@code flows/<name>.js}, snake_case, a {@code /} for a sub-folder. */
public final class FlowNames {

  /** What a flow name looks like, as a regular expression (no capturing group: it can sit in a route's path). */
  public static final String NAME_REGEX = "[a-z][a-z0-9_]*(?:/[a-z][a-z0-9_]*)*";

  private static final Pattern NAME = Pattern.compile(NAME_REGEX);
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:\\-]{1,128}");

  /** What flow tests end with ({@code flowpay test}): such files sit next to flows but are not flows. */
  public static final String TEST_SUFFIX = ".test.js";

  private FlowNames() {}

  /** Whether a file under the flows folder is a flow: a {@code .js} file that is not a flow test. */
  public static boolean isFlowFile(java.nio.file.Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".js") && !name.endsWith(TEST_SUFFIX);
  }

  public static boolean isValid(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /** Returns the name, or fails with a message that says what a flow name looks like. */
  public static String require(String name) {
    if (!isValid(name)) {
      throw new FlowpayFailure(FlowpayFailure.Kind.FLOW_INVALID,
          "flow name '" + name + "' is not valid: use snake_case like 'new_create_payment_intent_response'"
              + " (letters, digits, '_', and '/' for a sub-folder)");
    }
    return name;
  }

  /** Worker and context ids: 1-128 of letters, digits, '_', '-', '.', ':'. */
  public static boolean isValidId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  public static String requireId(String what, String id) {
    if (!isValidId(id)) {
      throw new FlowpayFailure(FlowpayFailure.Kind.BAD_REQUEST,
          what + " '" + id + "' is not valid: use 1-128 letters, digits, '_', '-', '.' or ':'");
    }
    return id;
  }
}
