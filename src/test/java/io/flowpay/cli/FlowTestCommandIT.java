package io.flowpay.cli;

import io.flowpay.cli.CliRun.Result;
import static io.flowpay.cli.CliRun.flowpay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flowpay test}: the shipped examples' flow tests pass on the real path (embedded Redis, the worker, the
 * Stripe stand-in), and a failing flow test fails the command with a reason, a line and a JUnit XML failure.
 */
class FlowTestCommandIT {

  @TempDir
  Path dir;

  @Test
  void theShippedExamplesPassTheirFlowTests() throws IOException {
    Path xml = dir.resolve("reports/flow-tests.xml");

    Result result = flowpay("test", "flows", "--junit-xml", xml.toString(), "--timeout", "60000");

    assertEquals(0, result.code(), result.out() + result.err());
    for (String example : new String[] {"checkout", "dunning", "outcome_unknown", "rate_limit", "refund", "signup"}) {
      assertTrue(result.out().contains("PASS  flows/examples/" + example + "/" + example + ".test.js  "),
          example + " has passing tests:\n" + result.out());
    }
    assertTrue(result.out().contains("PASS  flows/examples/dunning/dunning.test.js  three declined retries over nine"
        + " days make the invoice uncollectible"), result.out());
    Matcher summary = Pattern.compile("(\\d+) test\\(s\\): (\\d+) passed, 0 failed in").matcher(result.out());
    assertTrue(summary.find(), result.out());
    assertEquals(summary.group(1), summary.group(2));
    String junit = Files.readString(xml);
    assertTrue(junit.contains("<testsuites name=\"flowpay test\" tests=\"" + summary.group(1)
        + "\" failures=\"0\" errors=\"0\""), junit);
    assertTrue(junit.contains("<testcase classname=\"flows/examples/refund/refund.test.js\" name=\"a refund on"
        + " request is made and recorded\""), junit);
  }

  @Test
  void aFailingFlowTestFailsTheCommandWithItsReasonAndLine() throws IOException {
    Path flows = dir.resolve("flows");
    Files.createDirectories(flows);
    Files.writeString(flows.resolve("pay.js"), """
        ctx.set('status', 'paying');
        stripe.paymentIntents.create({amount: input.amount, currency: 'eur'}, {onSuccess: 'paid', onError: 'declined'});
        """);
    Files.writeString(flows.resolve("paid.js"), "ctx.set('status', 'paid');\n");
    Files.writeString(flows.resolve("declined.js"), "ctx.set('status', 'declined');\n");
    Files.writeString(flows.resolve("pay.test.js"), """
        test('a paid order', t => {
          t.start('pay', {amount: 1000});
          t.expectState({status: 'paid'});
          t.expectCall('POST /v1/payment_intents', {amount: 1000, currency: 'eur'});
        });

        test('a declined card is paid (wrong on purpose)', t => {
          t.stripe('POST /v1/payment_intents', decline('insufficient_funds'));
          t.start('pay', {amount: 1000});
          t.expectState({status: 'paid'});
        });

        test('a typo in the test itself', t => {
          t.start('pay', {amount: 1000});
          t.expectStat({status: 'paid'});
        });
        """);
    Path xml = dir.resolve("junit.xml");

    Result result = flowpay("test", flows.toString(), "--junit-xml", xml.toString(), "--timeout", "60000");

    assertEquals(1, result.code(), result.out() + result.err());
    String file = flows.resolve("pay.test.js").toString();
    assertTrue(result.out().contains("PASS  " + file + "  a paid order"), result.out());
    assertTrue(result.out().contains("FAIL  " + file + "  a declined card is paid (wrong on purpose)"), result.out());
    assertTrue(result.out().contains("at " + file + ":10: state.status: expected \"paid\", got \"declined\""),
        result.out());
    assertTrue(result.out().contains("      runs:\n        pay ok\n        declined ok"), result.out());
    assertTrue(result.out().contains("FAIL  " + file + "  a typo in the test itself"), result.out());
    assertTrue(result.out().contains("error at " + file + ":15: TypeError"), result.out());
    assertTrue(result.out().contains("3 test(s): 1 passed, 2 failed in "), result.out());
    String junit = Files.readString(xml);
    assertTrue(junit.contains("tests=\"3\" failures=\"1\" errors=\"1\""), junit);
    assertTrue(junit.contains("<failure message=\"state.status: expected &quot;paid&quot;, got &quot;declined&quot;\""
        + " type=\"failed\">" + file + ":10: "), junit);
    assertTrue(junit.contains("<error message=\"TypeError"), junit);

    Result check = flowpay("check", flows.toString());
    assertEquals(0, check.code(), "test files are not flows to check: " + check.out() + check.err());
  }

  @Test
  void noTestsIsAUsageErrorThatSaysWhatToWrite() throws IOException {
    Path flows = Files.createDirectories(dir.resolve("empty"));

    Result result = flowpay("test", flows.toString());

    assertEquals(2, result.code(), result.out() + result.err());
    assertTrue(result.err().contains("no flow tests under " + flows + ": write them next to your flows as *.test.js"),
        result.err());
  }
}
