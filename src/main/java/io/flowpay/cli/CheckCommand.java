package io.flowpay.cli;

import io.flowpay.script.CallSites;
import io.flowpay.script.FlowEngine;
import io.flowpay.script.FlowProblem;
import io.flowpay.stripe.StripeResources;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code flowpay check [dir]}: compiles every flow and reports what does not compile, with
 * file:line (exit 1); then warns, with file:line, about Stripe calls whose response or error flow has
 * no file and about Stripe resources or verbs Flowpay does not know (exit 0, or 1 with {@code --strict}).
 */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Compile every flow under DIR (default: flows) and report errors as file:line: message;"
        + " warn about Stripe calls whose response or error flow is missing, and unknown Stripe calls.")
public final class CheckCommand extends CommandSupport {

  @Parameters(index = "0", arity = "0..1", defaultValue = "flows", paramLabel = "DIR", description = "Flows folder.")
  Path dir;

  @Option(names = "--strict", description = "Exit 1 when there are warnings, too.")
  boolean strict;

  public CheckCommand(Map<String, String> env) {
    super(env);
  }

  @Override
  int run(PrintWriter out) {
    if (!Files.isDirectory(dir)) {
      return fail(dir + " is not a folder: pass the folder that holds your <flow>.js files", ExitCodes.USAGE);
    }
    StripeResources resources = StripeResources.standard();
    List<FlowProblem> problems = new FlowEngine(dir, resources).check();
    List<CallSites.Warning> warnings = new CallSites(dir, resources).check();
    problems.forEach(problem -> out.println(problem));
    warnings.forEach(warning -> out.println(warning));
    out.printf("%d flow(s) checked, %d problem(s), %d warning(s)%n", countFlows(), problems.size(), warnings.size());
    if (!problems.isEmpty() || strict && !warnings.isEmpty()) {
      return ExitCodes.FAILED;
    }
    return ExitCodes.OK;
  }

  private long countFlows() {
    try (var files = Files.walk(dir)) {
      return files.filter(file -> file.toString().endsWith(".js")).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
