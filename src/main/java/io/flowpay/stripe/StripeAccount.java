package io.flowpay.stripe;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Which Stripe account a secret key belongs to, as far as a rate budget needs to know, without the key:
 * a SHA-256 prefix of the key (the key itself never reaches Redis, a log line or a metric) and whether it is a
 * test-mode key ({@code sk_test_}, {@code rk_test_}), which Stripe limits more tightly.
 *
 * @param id {@code k} + 16 hex digits of the key's SHA-256
 */
public record StripeAccount(String id, boolean testMode) {

  public static StripeAccount ofSecretKey(String secretKey) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(secretKey.getBytes(StandardCharsets.UTF_8));
      return new StripeAccount("k" + HexFormat.of().formatHex(digest, 0, 8),
          secretKey.startsWith("sk_test_") || secretKey.startsWith("rk_test_"));
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", impossible);
    }
  }

  @Override
  public String toString() {
    return "StripeAccount[" + id + (testMode ? ", test mode]" : ", live]");
  }
}
