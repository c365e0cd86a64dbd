package io.flowpay.cli;

import io.flowpay.script.FlowEngine;
import io.flowpay.script.FlowProblem;
import io.flowpay.stripe.StripeResources;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code flowpay check [dir]}: compiles every flow and reports what does not compile, with file:line. */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Compile every flow under DIR (default: flows) and report errors as file:line: message.")
public final class CheckCommand extends CommandSupport {

  @Parameters(index = "0", arity = "0..1", defaultValue = "flows", paramLabel = "DIR", description = "Flows folder.")
  Path dir;

  public CheckCommand(Map<String, String> env) {
    super(env);
  }

  @Override
  int run(PrintWriter out) {
    if (!Files.isDirectory(dir)) {
      return fail(dir + " is not a folder: pass the folder that holds your <flow>.js files", ExitCodes.USAGE);
    }
    List<FlowProblem> problems = new FlowEngine(dir, StripeResources.standard()).check();
    problems.forEach(problem -> out.println(problem));
    long flows;
    try (var files = Files.walk(dir)) {
      flows = files.filter(file -> file.toString().endsWith(".js")).count();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    out.printf("%d flow(s) checked, %d problem(s)%n", flows, problems.size());
    return problems.isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
  }
}
