package io.flowpay.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.config.ScriptLimits;
import io.flowpay.flow.RunResult;
import io.flowpay.flow.RunStatus;
import io.flowpay.stripe.StripeResources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code serve}'s engine does with a flow version that {@code flowpay check} finds errors in. */
class CheckedReloadTest {

  @TempDir
  Path flows;

  private FlowEngine engine;

  @BeforeEach
  void setUp() {
    engine = FlowEngine.checking(flows, StripeResources.standard(), Duration.ofMillis(200), new ScriptLimits());
  }

  @Test
  void aVersionWithErrorsDoesNotLoadAndTheOneBeforeKeepsRunning() throws IOException {
    write("main", "ctx.set('version', 1);");
    assertEquals("1", run("main").effects().writes().get("version"));

    write("main", "ctx.set('version', 2);\nstripe.customers.crate({email: 'a@b.c'});");
    RunResult old = run("main");

    assertEquals(RunStatus.OK, old.status(), String.valueOf(old.error()));
    assertEquals("1", old.effects().writes().get("version"), "the version loaded before runs");

    write("main", "ctx.set('version', 3);\n");
    assertEquals("3", run("main").effects().writes().get("version"), "a fixed version loads");
  }

  @Test
  void aFirstVersionWithErrorsFailsItsRunsWithTheFirstError() throws IOException {
    write("main", "flow.dispatch('refund_ordr', {});\ntotal = 1;");
    write("refund_order", "");

    RunResult result = run("main");

    assertEquals(RunStatus.FAILED, result.status());
    assertEquals("flow_invalid", result.error().code());
    assertEquals("not loaded, flowpay check found 2 error(s); first, at 1:16: flow.dispatch names flow 'refund_ordr',"
        + " but " + flows + "/refund_ordr.js does not exist: did you mean 'refund_order'? create it, or fix the name",
        result.error().message());
    assertEquals(1, result.error().line());
  }

  @Test
  void warningsDoNotStopAFlowFromLoading() throws IOException {
    write("main", "stripe.customers.create({email: 'a@b.c'});");
    RunResult result = run("main");
    assertEquals(RunStatus.OK, result.status(), String.valueOf(result.error()));
    assertNull(result.error());
    assertTrue(result.effects().calls().size() == 1);
  }

  private RunResult run(String flow) {
    return engine.run(FlowEngineTest.main(flow, null), Map.of());
  }

  private void write(String flow, String source) throws IOException {
    Files.writeString(flows.resolve(flow + ".js"), source);
  }
}
