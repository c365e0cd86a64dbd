package io.flowpay;

import io.flowpay.bench.BenchCommand;
import io.flowpay.cli.CallsCommand;
import io.flowpay.cli.ChainCommand;
import io.flowpay.cli.CommandFactory;
import io.flowpay.cli.CheckCommand;
import io.flowpay.cli.ContextCommand;
import io.flowpay.cli.DeadCommand;
import io.flowpay.cli.DemoCommand;
import io.flowpay.cli.FlowCommand;
import io.flowpay.cli.RunCommand;
import io.flowpay.cli.RunsCommand;
import io.flowpay.cli.SchedulesCommand;
import io.flowpay.cli.ServeCommand;
import io.flowpay.cli.TestCommand;
import io.flowpay.cli.TryCommand;
import io.flowpay.cli.WebhookCommand;
import io.flowpay.cli.WorkersCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.logging.LogManager;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code flowpay}: parses the command line and hands over to one sub-command. */
@Command(name = "flowpay", mixinStandardHelpOptions = true, version = "flowpay 0.1.0",
    description = "Event-driven payment flows: JavaScript flows, non-blocking Stripe calls, Redis-backed tasks.",
    subcommands = {ServeCommand.class, RunCommand.class, CheckCommand.class, DemoCommand.class, DeadCommand.class,
        FlowCommand.class, ChainCommand.class, ContextCommand.class, RunsCommand.class, WorkersCommand.class,
        CallsCommand.class, WebhookCommand.class, TryCommand.class, TestCommand.class, BenchCommand.class, SchedulesCommand.class})
public final class Main {

  public static void main(String[] args) {
    if (System.getProperty("java.util.logging.manager") == null) {  // before anything logs
      System.setProperty("java.util.logging.manager", ShutdownLogManager.class.getName());
    }
    configureLogging();
    System.exit(execute(System.getenv(), args));
  }

  /** One-line log records on stderr, quiet libraries; unless the operator set their own file. */
  private static void configureLogging() {
    if (System.getProperty("java.util.logging.config.file") != null) {
      return;
    }
    try (InputStream in = Main.class.getResourceAsStream("/flowpay-logging.properties")) {
      LogManager.getLogManager().readConfiguration(in);
    } catch (IOException e) {
      System.err.println("flowpay: default logging config not loaded: " + e.getMessage());
    }
  }

  /** Runs one command line with the given environment; returns the exit code (0 ok, 1 failed, 2 usage/config). */
  public static int execute(Map<String, String> env, String... args) {
    return execute(env, new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** As {@link #execute(Map, String...)}, printing to the given writers. */
  public static int execute(Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
    return execute(env, System.in, out, err, args);
  }

  /** As {@link #execute(Map, PrintWriter, PrintWriter, String...)}, reading from {@code in} (what {@code try} reads). */
  public static int execute(Map<String, String> env, InputStream in, PrintWriter out, PrintWriter err, String... args) {
    return new CommandLine(new Main(), new CommandFactory(env, in)).setOut(out).setErr(err).execute(args);
  }
}
