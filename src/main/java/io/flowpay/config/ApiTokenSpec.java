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
 * {@code ;allow=flows:write} lets a scoped token upload and restore flows (of its {@code flows}, when
 * it has that list); {@code ;name=<label>} is what audit entries say did it (never the token).
 *
 * @param namespaces the context namespaces it may use; empty when unscoped
 * @param flows the flows it may start; empty when any
 * @param permissions what a scoped token may do beyond starting and reading ({@value #FLOWS_WRITE})
 * @param name the label audit entries show; empty for a fingerprint of the token instead
 */
public record ApiTokenSpec(String token, Set<String> namespaces, Set<String> flows, Set<String> permissions,
    String name) {

  /** Upload a flow version ({@code PUT /v1/flows/<name>}) and restore an earlier one. */
  public static final String FLOWS_WRITE = "flows:write";

  private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9_.\\-]{1,128}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.@\\-]{1,64}");
  private static final Set<String> PERMISSIONS = Set.of(FLOWS_WRITE);

  public ApiTokenSpec {
    namespaces = Set.copyOf(namespaces);
    flows = Set.copyOf(flows);
    permissions = Set.copyOf(permissions);
  }

  public ApiTokenSpec(String token, Set<String> namespaces, Set<String> flows) {
    this(token, namespaces, flows, Set.of(), "");
  }

  /** Whether the token may upload or restore {@code flow}: unscoped tokens may; scoped ones need {@code allow=flows:write}. */
  public boolean mayWriteFlow(String flow) {
    boolean unscoped = namespaces.isEmpty() && flows.isEmpty();
    return (unscoped || permissions.contains(FLOWS_WRITE)) && mayStart(flow);
  }

  /** Who did it, for audit entries: the token's name, or {@code token sha256:<8 hex>} of it; never the token. */
  public String who() {
    if (!name.isEmpty()) {
      return name;
    }
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest(token.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return "token sha256:" + java.util.HexFormat.of().formatHex(digest, 0, 4);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
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
    Set<String> permissions = Set.of();
    String name = "";
    for (int i = 1; i < parts.length; i++) {
      String part = parts[i].trim();
      if (part.startsWith("contexts=") && namespaces.isEmpty()) {
        namespaces = list(part.substring("contexts=".length()), where, "contexts", true);
      } else if (part.startsWith("flows=") && flows.isEmpty()) {
        flows = list(part.substring("flows=".length()), where, "flows", false);
      } else if (part.startsWith("allow=") && permissions.isEmpty()) {
        permissions = permissions(part.substring("allow=".length()), where);
      } else if (part.startsWith("name=") && name.isEmpty() && NAME.matcher(part.substring(5)).matches()) {
        name = part.substring("name=".length());
      } else {
        throw invalid(where + ": '" + part.replaceAll("=.*", "=...") + "' is not understood: after the token come"
            + " at most one ';contexts=<namespace>|<namespace>', one ';flows=<flow>|<flow>', one ';allow=flows:write'"
            + " and one ';name=<label>' (1-64 letters, digits, '_', '.', '@' or '-')");
      }
    }
    return new ApiTokenSpec(token, namespaces, flows, permissions, name);
  }

  private static Set<String> permissions(String value, String where) {
    Set<String> items = new LinkedHashSet<>(Arrays.stream(value.split("\\|")).map(String::trim).toList());
    for (String item : items) {
      if (!PERMISSIONS.contains(item)) {
        throw invalid(where + ": allow item '" + item + "' is not a permission: the one there is is "
            + FLOWS_WRITE + " (upload and restore flows)");
      }
    }
    return items;
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
    return "ApiTokenSpec[" + Secrets.mask(token) + ", contexts=" + namespaces + ", flows=" + flows + ", allow="
        + permissions + ", name=" + name + "]";
  }
}
