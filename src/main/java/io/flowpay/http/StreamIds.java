package io.flowpay.http;

/**
 * The {@code from} of a stream page: {@code -} (the start), an entry id {@code <ms>[-<seq>]}, or
 * {@code (} and an id to start after it. Both parts are unsigned 64-bit numbers, as Redis takes
 * them; anything Redis would refuse is refused here, naming the parameter, instead of failing there.
 */
final class StreamIds {

  private static final String MAX = "18446744073709551615";

  private StreamIds() {}

  /** The validated {@code from}; {@code -} when absent. */
  static String from(String from) {
    if (from == null) {
      return "-";
    }
    if (!valid(from)) {
      throw ApiProblem.invalid("from", "from must be a dead-letter id like 1700000000000-0, or '(' and an id to start"
          + " after it, as 'next' of the previous page says (got '" + from + "')");
    }
    return from;
  }

  static boolean valid(String from) {
    if (from.equals("-")) {
      return true;
    }
    boolean after = from.startsWith("(");
    String id = after ? from.substring(1) : from;
    int dash = id.indexOf('-');
    String ms = dash < 0 ? id : id.substring(0, dash);
    String seq = dash < 0 ? null : id.substring(dash + 1);
    if (!number(ms) || seq != null && !number(seq)) {
      return false;
    }
    // nothing comes after the largest id
    return !(after && ms.equals(MAX) && (seq == null || seq.equals(MAX)));
  }

  /** Decimal digits that fit an unsigned 64-bit number. */
  private static boolean number(String digits) {
    if (digits.isEmpty() || digits.length() > MAX.length() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return false;
    }
    return digits.length() < MAX.length() || digits.compareTo(MAX) <= 0;
  }
}
