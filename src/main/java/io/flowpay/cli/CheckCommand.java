package io.flowpay.cli;

import io.flowpay.script.FlowCheck;
import io.flowpay.script.FlowEngine;
import io.flowpay.script.FlowFinding;
import io.flowpay.script.FlowProblem;
import io.flowpay.stripe.StripeResources;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code flowpay check [dir]}: compiles every flow and reads its calls (see {@link FlowCheck}); prints
 * each finding as {@code file:line:column: error|warning: what: how to fix it}. Exit 1 when there are
 * errors, or warnings with {@code --strict}.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Compile every flow under DIR (default: flows) and check its Stripe calls, flow targets, webhook"
        + " flow names and assignments; print each finding as file:line:column: error|warning: what: how to fix it.")
public final class CheckCommand extends CommandSupport {

  @Parameters(index = "0", arity = "0..1", defaultValue = "flows", paramLabel = "DIR", description = "Flows folder.")
  Path dir;

  @Option(names = "--strict", description = "Exit 1 when there are warnings, too.")
  boolean strict;

  @Override
  int run(PrintWriter out) {
    if (!Files.isDirectory(dir)) {
      return fail(dir + " is not a folder: pass the folder that holds your <flow>.js files", ExitCodes.USAGE);
    }
    List<FlowFinding> findings = findings(dir);
    findings.forEach(out::println);
    long errors = findings.stream().filter(FlowFinding::isError).count();
    out.printf("%d flow(s) checked, %d error(s), %d warning(s)%n", countFlows(dir), errors, findings.size() - errors);
    return errors > 0 || strict && !findings.isEmpty() ? ExitCodes.FAILED : ExitCodes.OK;
  }

  /**
   * What {@code check} finds under {@code dir}, by file, line and column: what does not compile, then
   * what {@link FlowCheck} finds in the files that parse.
   */
  static List<FlowFinding> findings(Path dir) {
    StripeResources resources = StripeResources.standard();
    List<FlowFinding> findings = new ArrayList<>(new FlowCheck(dir, resources).check());
    Set<Path> rejected = findings.stream().filter(FlowFinding::isError).map(FlowFinding::file).collect(Collectors.toSet());
    for (FlowProblem problem : compileProblems(dir, resources)) {
      if (!rejected.contains(problem.file())) {
        findings.add(problem.toFinding());
      }
    }
    findings.sort(Comparator.comparing(FlowFinding::file).thenComparingInt(FlowFinding::line)
        .thenComparingInt(FlowFinding::column));
    return findings;
  }

  /**
   * Compiling loads each flow as {@code serve} does, which logs what the check found: printed here
   * already, so the compile's log is quiet meanwhile.
   */
  private static List<FlowProblem> compileProblems(Path dir, StripeResources resources) {
    Logger logger = Logger.getLogger("io.flowpay.script.CompiledFlows");
    Level level = logger.getLevel();
    logger.setLevel(Level.SEVERE);
    try {
      return new FlowEngine(dir, resources).check();
    } finally {
      logger.setLevel(level);
    }
  }

  static long countFlows(Path dir) {
    try (var files = Files.walk(dir)) {
      return files.filter(file -> file.toString().endsWith(".js") && !file.toString().endsWith(".test.js")).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
