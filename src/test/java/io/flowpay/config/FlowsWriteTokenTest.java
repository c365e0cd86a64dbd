package io.flowpay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.failure.FlowpayFailure;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code ;allow=flows:write} and {@code ;name=} in {@code FLOWPAY_API_TOKENS}: who may upload flows, and what audits say. */
class FlowsWriteTokenTest {

  private static ApiTokenSpec parse(String entry) {
    return Secrets.apiTokenSpecs(List.of(entry)).get(0);
  }

  @Test
  void unscopedTokensMayWriteFlowsAndScopedOnesOnlyWhenAllowed() {
    assertTrue(parse("aaaaaaaaaaaaaaaa1").mayWriteFlow("refund"));
    assertFalse(parse("aaaaaaaaaaaaaaaa1;contexts=m-a").mayWriteFlow("refund"));
    assertTrue(parse("aaaaaaaaaaaaaaaa1;contexts=m-a;allow=flows:write").mayWriteFlow("refund"));
    ApiTokenSpec someFlows = parse("aaaaaaaaaaaaaaaa1;flows=refund;allow=flows:write");
    assertTrue(someFlows.mayWriteFlow("refund"));
    assertFalse(someFlows.mayWriteFlow("main"), "a token listing flows writes only those");
  }

  @Test
  void auditsNameTheTokenByItsLabelOrAFingerprintNeverTheToken() {
    assertEquals("deploy-bot", parse("aaaaaaaaaaaaaaaa1;name=deploy-bot").who());
    String who = parse("aaaaaaaaaaaaaaaa1").who();
    assertTrue(who.matches("token sha256:[0-9a-f]{8}"), who);
    assertFalse(who.contains("aaaaaaaa"));
  }

  @Test
  void anUnknownPermissionIsAnErrorThatNamesTheOneThereIs() {
    FlowpayFailure failure = assertThrows(FlowpayFailure.class, () -> parse("aaaaaaaaaaaaaaaa1;allow=flows:delete"));
    assertTrue(failure.getMessage().contains("flows:write"), failure.getMessage());
    assertFalse(failure.getMessage().contains("aaaaaaaa"), "the token is never in a message");
  }
}
