package io.flowpay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.config.ApiTokenSpec;
import io.flowpay.config.Secrets;
import io.flowpay.failure.FlowpayFailure;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiTokensTest {

  private final ApiTokens tokens = new ApiTokens(List.of("first-token-0123456789", "second-token-0123456789"));

  @Test
  void anyConfiguredTokenIsAccepted() {
    assertNotNull(tokens.accepts("Bearer first-token-0123456789"));
    assertNotNull(tokens.accepts("Bearer second-token-0123456789"));
    assertNotNull(tokens.accepts("bearer second-token-0123456789"), "the scheme is case-insensitive (RFC 7235)");
  }

  @Test
  void anythingElseIsRefused() {
    assertNull(tokens.accepts(null));
    assertNull(tokens.accepts(""));
    assertNull(tokens.accepts("Bearer "));
    assertNull(tokens.accepts("Bearer first-token-012345678"), "a prefix of a token");
    assertNull(tokens.accepts("Bearer first-token-01234567890"), "a token with more after it");
    assertNull(tokens.accepts("Basic first-token-0123456789"));
    assertNull(tokens.accepts("first-token-0123456789"));
  }

  @Test
  void aScopedTokenCarriesItsNamespacesAndFlows() {
    ApiTokens scoped = new ApiTokens(List.of("plain-token-0123456789",
        "merchant-token-0123456789;contexts=merchant-a|merchant-b;flows=main|refund"));

    ApiTokenSpec plain = scoped.accepts("Bearer plain-token-0123456789");
    ApiTokenSpec merchant = scoped.accepts("Bearer merchant-token-0123456789");

    assertTrue(plain.allNamespaces() && plain.mayUse("anyone:1") && plain.mayStart("anything"));
    assertEquals(Set.of("merchant-a", "merchant-b"), merchant.namespaces());
    assertTrue(merchant.mayUse("merchant-a:order-1") && merchant.mayUse("merchant-b") && merchant.mayUse("merchant-b:x:y"));
    assertFalse(merchant.mayUse("merchant-c:order-1") || merchant.mayUse("merchant-a-evil:1") || merchant.mayUse("ctx-1"));
    assertTrue(merchant.mayStart("main") && merchant.mayStart("refund"));
    assertFalse(merchant.mayStart("payout"));
    assertNull(scoped.accepts("Bearer merchant-token-0123456789;contexts=merchant-a"), "the scope is not part of the token");
  }

  @Test
  void badScopesStopTheStartNamingTheEntry() {
    assertFailure("tok-0123456789abcdef;context=a", "token 1 of 1: 'context=...' is not understood");
    assertFailure("tok-0123456789abcdef;contexts=a:b", "contexts item 'a:b' is not valid");
    assertFailure("tok-0123456789abcdef;contexts=", "contexts item '' is not valid");
    assertFailure("tok-0123456789abcdef;flows=Main", "flows item 'Main' is not valid");
    assertFailure("short;contexts=a", "shorter than 16");
  }

  private static void assertFailure(String entry, String expected) {
    FlowpayFailure failure = assertThrows(FlowpayFailure.class,
        () -> new Secrets(Map.of(Secrets.FLOWPAY_API_TOKENS, entry)).apiTokens());
    assertTrue(failure.getMessage().contains(expected), failure.getMessage());
    assertFalse(failure.getMessage().contains("0123456789abcdef"), "the token is never shown: " + failure.getMessage());
  }

  @Test
  void noTokensIsAProgrammingError() {
    assertThrows(IllegalArgumentException.class, () -> new ApiTokens(List.of()));
  }
}
