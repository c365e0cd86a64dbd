package io.flowpay.config;

import io.flowpay.failure.FlowpayFailure;
import io.flowpay.flow.FlowNames;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One entry of {@code FLOWPAY_API_TOKENS}: {@code <token>} or
 * {@code <token>;contexts=<ns>|<ns>...;flows=<flow>|<flow>...}. Entries are comma-separated, so the
 * items of a list are separated by {@code |}. A token with {@code contexts} reads, starts and sees
 * only contexts whose namespace (the part of the context id before the first {@code :}, or the whole
 * id when it has none) is listed; a token with {@code flows} starts only those flows. An entry
 * without either is unscoped: it can do everything, as every token could before scopes.
 *
 * @param namespaces the context namespaces it may use; empty when unscoped
 * @param flows the flows it may start; empty when any
 */
public record ApiTokenSpec(String token, Set<String> namespaces, Set<String> flows) {

  private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9_.\\-]{1,128}");

  public ApiTokenSpec {
    namespaces = Set.copyOf(namespaces);
    flows = Set.copyOf(flows);
  }

  /** True when the token may use contexts of any namespace. */
  public boolean allNamespaces() {
    return namespaces.isEmpty();
  }

  /** The namespace of a context id: the part before the first {@code :}, or the whole id. */
  public static String namespace(String contextId) {
    int colon = contextId.indexOf(':');
    return colon < 0 ? contextId : contextId.substring(0, colon);
  }

  public boolean mayUse(String contextId) {
    return allNamespaces() || namespaces.contains(namespace(contextId));
  }

  public boolean mayStart(String flow) {
    return flows.isEmpty() || flows.contains(flow);
  }

  /**
   * Parses entry {@code index} (from 1) of {@code count}; fails naming the entry and the fix, never
   * showing the token.
   */
  static ApiTokenSpec parse(String entry, int index, int count) {
    String[] parts = entry.split(";", -1);
    String token = parts[0].trim();
    String where = Secrets.FLOWPAY_API_TOKENS + ": token " + index + " of " + count;
    if (token.length() < Secrets.MIN_API_TOKEN_LENGTH || token.chars().anyMatch(Character::isWhitespace)) {
      throw invalid(where + " is shorter than " + Secrets.MIN_API_TOKEN_LENGTH
          + " characters or has spaces: use long random tokens, e.g. from 'openssl rand -hex 32'");
    }
    Set<String> namespaces = Set.of();
    Set<String> flows = Set.of();
    for (int i = 1; i < parts.length; i++) {
      String part = parts[i].trim();
      if (part.startsWith("contexts=") && namespaces.isEmpty()) {
        namespaces = list(part.substring("contexts=".length()), where, "contexts", true);
      } else if (part.startsWith("flows=") && flows.isEmpty()) {
        flows = list(part.substring("flows=".length()), where, "flows", false);
      } else {
        throw invalid(where + ": '" + part.replaceAll("=.*", "=...") + "' is not understood: after the token come"
            + " at most one ';contexts=<namespace>|<namespace>' and one ';flows=<flow>|<flow>'");
      }
    }
    return new ApiTokenSpec(token, namespaces, flows);
  }

  private static Set<String> list(String value, String where, String name, boolean namespaces) {
    Set<String> items = new LinkedHashSet<>(Arrays.stream(value.split("\\|")).map(String::trim).toList());
    for (String item : items) {
      boolean valid = namespaces ? NAMESPACE.matcher(item).matches() : FlowNames.isValid(item);
      if (!valid) {
        throw invalid(where + ": " + name + " item '" + item + "' is not valid: " + (namespaces
            ? "a namespace is the part of a context id before the first ':' (letters, digits, '_', '-', '.'),"
                + " several separated by '|', e.g. contexts=merchant-a|merchant-b"
            : "use flow names separated by '|', e.g. flows=main|refund"));
      }
    }
    return items;
  }

  private static FlowpayFailure invalid(String message) {
    return new FlowpayFailure(FlowpayFailure.Kind.CONFIG_INVALID, message);
  }

  @Override
  public String toString() {
    return "ApiTokenSpec[" + Secrets.mask(token) + ", contexts=" + namespaces + ", flows=" + flows + "]";
  }
}
