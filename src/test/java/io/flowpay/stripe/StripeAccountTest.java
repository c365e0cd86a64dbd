package io.flowpay.stripe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class StripeAccountTest {

  /** A key made up at run time: no key-shaped text in the tree. */
  private static String madeUpKey(String mode) {
    return "sk_" + mode + "_" + UUID.randomUUID().toString().replace("-", "");
  }

  @Test
  void accountIdIsAStableHashThatShowsNothingOfTheKey() {
    String key = madeUpKey("live");
    StripeAccount account = StripeAccount.ofSecretKey(key);
    assertEquals(account, StripeAccount.ofSecretKey(key), "every process of the fleet finds the same bucket");
    assertTrue(account.id().matches("k[0-9a-f]{16}"), account.id());
    assertFalse(account.toString().contains(key.substring(8, 20)), account.toString());
    assertNotEquals(account.id(), StripeAccount.ofSecretKey(madeUpKey("live")).id());
  }

  @Test
  void testModeKeysAreToldApart() {
    assertTrue(StripeAccount.ofSecretKey("sk_test_abc").testMode());
    assertTrue(StripeAccount.ofSecretKey("rk_test_abc").testMode());
    assertFalse(StripeAccount.ofSecretKey("sk_live_abc").testMode());
    assertFalse(StripeAccount.ofSecretKey("rk_live_abc").testMode());
  }
}
