package io.flowpay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flowpay.failure.ChainTimeoutFailure;
import io.flowpay.failure.FlowpayFailure;
import org.junit.jupiter.api.Test;

/** Exit codes as the README documents them: 1 for what happened at run time, 2 for a bad command line or config. */
class ExitCodesTest {

  @Test
  void aChainThatDidNotSettleInTimeExitsOne() {
    ChainTimeoutFailure timeout = new ChainTimeoutFailure("chain-1", 2);
    assertEquals(ExitCodes.FAILED, CommandSupport.exitCode(timeout.kind()));
    assertEquals("not_settled", timeout.code());
    assertEquals("chain chain-1 is not settled yet (2 task(s) or call(s) pending); it goes on in the service",
        timeout.getMessage());
  }

  @Test
  void aBadCommandLineOrConfigExitsTwo() {
    assertEquals(ExitCodes.USAGE, CommandSupport.exitCode(FlowpayFailure.Kind.BAD_REQUEST));
    assertEquals(ExitCodes.USAGE, CommandSupport.exitCode(FlowpayFailure.Kind.CONFIG_INVALID));
  }
}
