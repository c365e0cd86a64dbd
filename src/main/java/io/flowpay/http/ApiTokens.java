package io.flowpay.http;

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
 * of a token was right or how long the real ones are.
 */
final class ApiTokens implements Handler<RoutingContext> {

  private static final String SCHEME = "Bearer ";

  private final List<byte[]> digests;

  ApiTokens(List<String> tokens) {
    if (tokens.isEmpty()) {
      throw new IllegalArgumentException("at least one API token is needed");
    }
    this.digests = tokens.stream().map(ApiTokens::sha256).toList();
  }

  boolean accepts(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      return false;
    }
    byte[] presented = sha256(authorization.substring(SCHEME.length()).trim());
    boolean match = false;
    for (byte[] digest : digests) {
      match |= MessageDigest.isEqual(digest, presented);
    }
    return match;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String authorization = ctx.request().getHeader("Authorization");
    if (accepts(authorization)) {
      ctx.next();
      return;
    }
    ctx.response().putHeader("WWW-Authenticate",
        authorization == null ? "Bearer realm=\"flowpay\"" : "Bearer realm=\"flowpay\", error=\"invalid_token\"");
    Answers.send(ctx, 401, "unauthorized", "Authorization", authorization == null
        ? "missing Authorization header: send 'Authorization: Bearer <token>' with a token from FLOWPAY_API_TOKENS"
        : "the bearer token is not one of FLOWPAY_API_TOKENS");
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
