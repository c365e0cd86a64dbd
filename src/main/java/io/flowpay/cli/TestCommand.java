package io.flowpay.cli;

import io.flowpay.config.FlowpayOptions;
import io.flowpay.failure.FlowpayFailure;
import io.flowpay.flowtest.FlowTests;
import io.flowpay.flowtest.TestReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flowpay test [dir]}: runs the flow tests ({@code *.test.js}) under a flows folder on the real path. */
@Command(name = "test", mixinStandardHelpOptions = true,
    description = "Run the flow tests (*.test.js) under DIR against the real worker, an embedded Redis (or"
        + " REDIS_URL) and a Stripe stand-in the tests answer for; print a report.%n"
        + "Exit code: 0 when every test passed, 1 when one failed, 2 for usage/config errors.")
public final class TestCommand extends CommandSupport {

  @Parameters(index = "0", arity = "0..1", paramLabel = "DIR",
      description = "The flows folder (flows are named from it, tests found under it; default: the config's flowsDir).")
  Path dir;

  @Option(names = "--junit-xml", paramLabel = "FILE", description = "Also write the results as JUnit XML to FILE.")
  Path junitXml;

  @Option(names = "--match", paramLabel = "TEXT", description = "Run only tests whose file or name contains TEXT.")
  String match;

  @Option(names = "--parallel", defaultValue = "8", paramLabel = "N", description = "Tests run at once (default: 8).")
  int parallel;

  @Option(names = "--timeout", defaultValue = "10000", paramLabel = "MS",
      description = "Longest wait for a test's flows to finish one step (default: 10000).")
  long timeoutMs;

  @Option(names = "--config", description = "Config file for workers and script limits (default: conf/flowpay.json"
      + " if present). Its Redis and Stripe are not used.")
  Path config;

  @Override
  int run(PrintWriter out) throws IOException {
    if (parallel < 1 || timeoutMs < 1) {
      throw new FlowpayFailure(FlowpayFailure.Kind.BAD_REQUEST, "--parallel and --timeout must be 1 or more");
    }
    FlowpayOptions options = options(config, false);
    Path flows = dir != null ? dir : options.flowsDir();
    String redisUrl = env.get("REDIS_URL");
    FlowTests.Outcome outcome = FlowTests.run(new FlowTests.Settings(flows, options,
        redisUrl == null || redisUrl.isBlank() ? null : redisUrl, parallel, timeoutMs, match));
    if (outcome.results().isEmpty()) {
      throw new FlowpayFailure(FlowpayFailure.Kind.BAD_REQUEST, "no flow tests" + (match == null ? "" : " matching '"
          + match + "'") + " under " + flows + ": write them next to your flows as *.test.js (see the README,"
          + " 'Testing flows')");
    }
    TestReport.text(outcome, out);
    if (junitXml != null) {
      TestReport.junitXml(outcome, junitXml);
      out.println("JUnit XML: " + junitXml);
    }
    return outcome.failed() == 0 ? ExitCodes.OK : ExitCodes.FAILED;
  }
}
