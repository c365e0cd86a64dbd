package io.flowpay.http;

import io.flowpay.config.ApiTokenSpec;
import io.flowpay.config.Secrets;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Bearer-token check for the API: {@code Authorization: Bearer <token>}, where the token is one of
 * {@code FLOWPAY_API_TOKENS}. Only SHA-256 digests are kept, and a presented token is compared with
 * every one of them in constant time, so neither the time taken nor an early exit tells how much
 * of a token was right or how long the real ones are. An accepted request carries its token's
 * scope ({@link #scope}); handlers check it.
 */
final class ApiTokens implements Handler<RoutingContext> {

  private static final String SCHEME = "Bearer ";
  private static final String SCOPE = "flowpay.scope";

  private final List<byte[]> digests;
  private final List<ApiTokenSpec> specs;

  /** @param entries {@code FLOWPAY_API_TOKENS} entries, each a token and optionally its scope */
  ApiTokens(List<String> entries) {
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("at least one API token is needed");
    }
    this.specs = Secrets.apiTokenSpecs(entries);
    this.digests = specs.stream().map(spec -> sha256(spec.token())).toList();
  }

  /** The scope of the presented token, or null when it is not one of the tokens. */
  ApiTokenSpec accepts(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      return null;
    }
    byte[] presented = sha256(authorization.substring(SCHEME.length()).trim());
    int match = -1;
    for (int i = 0; i < digests.size(); i++) {
      boolean equal = MessageDigest.isEqual(digests.get(i), presented);
      match = equal ? i : match;
    }
    return match < 0 ? null : specs.get(match);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String authorization = ctx.request().getHeader("Authorization");
    ApiTokenSpec spec = accepts(authorization);
    if (spec != null) {
      ctx.put(SCOPE, spec);
      ctx.next();
      return;
    }
    ctx.response().putHeader("WWW-Authenticate",
        authorization == null ? "Bearer realm=\"flowpay\"" : "Bearer realm=\"flowpay\", error=\"invalid_token\"");
    Answers.send(ctx, 401, "unauthorized", "Authorization", authorization == null
        ? "missing Authorization header: send 'Authorization: Bearer <token>' with a token from FLOWPAY_API_TOKENS"
        : "the bearer token is not one of FLOWPAY_API_TOKENS");
  }

  /** The scope of the request's token (set by {@link #handle}). */
  static ApiTokenSpec scope(RoutingContext ctx) {
    ApiTokenSpec spec = ctx.get(SCOPE);
    if (spec == null) {
      throw new IllegalStateException("no token checked on " + ctx.normalizedPath());
    }
    return spec;
  }

  /** Refuses tokens limited to some namespaces: for what belongs to no namespace (metrics, unhandled events). */
  static Handler<RoutingContext> unscopedOnly() {
    return ctx -> {
      if (scope(ctx).allNamespaces()) {
        ctx.next();
      } else {
        Answers.send(ctx, 403, "forbidden", "Authorization", ctx.normalizedPath() + " shows data of every namespace:"
            + " it needs a token without ';contexts=' in FLOWPAY_API_TOKENS");
      }
    };
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
