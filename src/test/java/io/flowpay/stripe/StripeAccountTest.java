package io.flowpay.stripe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StripeAccountTest {

  @Test
  void accountIdIsAStableHashThatShowsNothingOfTheKey() {
    String key = "sk_live_51AbCdEfGhIjKlMnOp";
    StripeAccount account = StripeAccount.ofSecretKey(key);
    assertEquals(account, StripeAccount.ofSecretKey(key), "every process of the fleet finds the same bucket");
    assertTrue(account.id().matches("k[0-9a-f]{16}"), account.id());
    assertFalse(account.toString().contains("51AbCd"), account.toString());
    assertNotEquals(account.id(), StripeAccount.ofSecretKey("sk_live_other").id());
  }

  @Test
  void testModeKeysAreToldApart() {
    assertTrue(StripeAccount.ofSecretKey("sk_test_abc").testMode());
    assertTrue(StripeAccount.ofSecretKey("rk_test_abc").testMode());
    assertFalse(StripeAccount.ofSecretKey("sk_live_abc").testMode());
    assertFalse(StripeAccount.ofSecretKey("rk_live_abc").testMode());
  }
}
