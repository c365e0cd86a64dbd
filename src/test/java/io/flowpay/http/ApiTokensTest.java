package io.flowpay.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ApiTokensTest {

  private final ApiTokens tokens = new ApiTokens(List.of("first-token-0123456789", "second-token-0123456789"));

  @Test
  void anyConfiguredTokenIsAccepted() {
    assertTrue(tokens.accepts("Bearer first-token-0123456789"));
    assertTrue(tokens.accepts("Bearer second-token-0123456789"));
    assertTrue(tokens.accepts("bearer second-token-0123456789"), "the scheme is case-insensitive (RFC 7235)");
  }

  @Test
  void anythingElseIsRefused() {
    assertFalse(tokens.accepts(null));
    assertFalse(tokens.accepts(""));
    assertFalse(tokens.accepts("Bearer "));
    assertFalse(tokens.accepts("Bearer first-token-012345678"), "a prefix of a token");
    assertFalse(tokens.accepts("Bearer first-token-01234567890"), "a token with more after it");
    assertFalse(tokens.accepts("Basic first-token-0123456789"));
    assertFalse(tokens.accepts("first-token-0123456789"));
  }

  @Test
  void noTokensIsAProgrammingError() {
    assertThrows(IllegalArgumentException.class, () -> new ApiTokens(List.of()));
  }
}
