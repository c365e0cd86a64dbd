package io.flowpay.config;

import io.flowpay.failure.FlowpayFailure;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Secrets come from environment variables only, never from files, and never reach scripts or logs.
 * The environment is passed in (not read from a global) so tests and embedders choose it.
 */
public final class Secrets {

  public static final String STRIPE_SECRET_KEY = "STRIPE_SECRET_KEY";
  public static final String STRIPE_WEBHOOK_SECRET = "STRIPE_WEBHOOK_SECRET";
  public static final String FLOWPAY_API_TOKENS = "FLOWPAY_API_TOKENS";
  /** Shorter tokens are refused: an API token must not be guessable. */
  public static final int MIN_API_TOKEN_LENGTH = 16;

  private final Map<String, String> env;

  public Secrets(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /** The Stripe secret key, or null when not set. */
  public String stripeKey() {
    String key = env.get(STRIPE_SECRET_KEY);
    if (key == null || key.isBlank()) {
      return null;
    }
    if (!key.startsWith("sk_") && !key.startsWith("rk_")) {
      throw new FlowpayFailure(FlowpayFailure.Kind.CONFIG_INVALID,
          STRIPE_SECRET_KEY + " does not look like a Stripe secret key (" + mask(key)
              + "): use a secret or restricted key, sk_test_... or rk_test_... from the Stripe dashboard");
    }
    return key;
  }

  /** The webhook signing secret ({@code whsec_...}), or null when not set. */
  public String webhookSecret() {
    String secret = env.get(STRIPE_WEBHOOK_SECRET);
    if (secret == null || secret.isBlank()) {
      return null;
    }
    if (!secret.startsWith("whsec_")) {
      throw new FlowpayFailure(FlowpayFailure.Kind.CONFIG_INVALID, STRIPE_WEBHOOK_SECRET
          + " does not look like a webhook signing secret (" + mask(secret) + "): copy the endpoint's 'Signing secret'"
          + " (whsec_...) from the Stripe dashboard, or from 'stripe listen'");
    }
    return secret;
  }

  /**
   * The API token entries (comma-separated in the environment, each a token and optionally its
   * scope: see {@link ApiTokenSpec}), or an empty list when not set. Each entry is checked here, so a
   * bad one stops the start naming it.
   */
  public List<String> apiTokens() {
    String value = env.get(FLOWPAY_API_TOKENS);
    if (value == null || value.isBlank()) {
      return List.of();
    }
    List<String> tokens = Arrays.stream(value.split(",")).map(String::trim).filter(token -> !token.isEmpty()).toList();
    for (int i = 0; i < tokens.size(); i++) {
      ApiTokenSpec.parse(tokens.get(i), i + 1, tokens.size());
    }
    return tokens;
  }

  /** The API tokens with their scopes. */
  public static List<ApiTokenSpec> apiTokenSpecs(List<String> entries) {
    return java.util.stream.IntStream.range(0, entries.size())
        .mapToObj(i -> ApiTokenSpec.parse(entries.get(i), i + 1, entries.size())).toList();
  }

  public String get(String name) {
    return env.get(name);
  }

  /** {@code sk_test_…abcd}: enough to tell keys apart, never enough to use one. */
  public static String mask(String secret) {
    if (secret == null) {
      return "(unset)";
    }
    int cut = secret.indexOf('_', 3);
    String prefix = cut > 0 && cut < 8 ? secret.substring(0, cut + 1) : "";
    String tail = secret.length() > 12 ? secret.substring(secret.length() - 4) : "";
    return prefix + "…" + tail;
  }

  /** {@code redis://:secret@host:6379} → {@code redis://:***@host:6379}. */
  public static String maskUrl(String url) {
    return url == null ? null : url.replaceAll("//([^/@]*)@", "//***@");
  }

  @Override
  public String toString() {
    return "Secrets" + env.keySet();
  }
}
