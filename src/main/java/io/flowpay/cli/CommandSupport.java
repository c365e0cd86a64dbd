package io.flowpay.cli;

import io.flowpay.config.FlowpayOptions;
import io.flowpay.failure.FlowpayFailure;
import io.flowpay.worker.FlowpayNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every sub-command shares: loading the config, and turning failures into a message and an exit code. */
abstract class CommandSupport implements Callable<Integer> {

  /** The process's environment and stdin, as {@link CommandFactory} hands them over (none outside it). */
  Map<String, String> env = Map.of();
  InputStream in = InputStream.nullInputStream();

  /** The command's work; may throw a {@link FlowpayFailure}, which becomes a message and an exit code. */
  abstract int run(PrintWriter out) throws Exception;

  @Spec
  CommandSpec spec;

  @Override
  public final Integer call() throws Exception {
    try {
      return run(spec.commandLine().getOut());
    } catch (FlowpayFailure failure) {
      return fail(failure.getMessage(), exitCode(failure.kind()));
    }
  }

  /** Prints {@code flowpay: <message>} to the error stream; returns the exit code. */
  int fail(String message, int exitCode) {
    PrintWriter err = spec.commandLine().getErr();
    err.println("flowpay: " + message);
    err.flush();
    return exitCode;
  }

  /** The config file if given or present; otherwise the defaults (plus {@code REDIS_URL}). */
  FlowpayOptions options(Path config, boolean required) {
    if (config == null) {
      Path standard = Path.of(FlowpayOptions.DEFAULT_CONFIG);
      if (!Files.exists(standard) && !required) {
        FlowpayOptions defaults = new FlowpayOptions();
        String url = env.get("REDIS_URL");
        return url == null || url.isBlank() ? defaults : defaults.withRedis(defaults.redis().withUrl(url));
      }
      config = standard;
    }
    return FlowpayOptions.load(config, env);
  }

  /** Connects to the config's Redis (no workers), hands the node to {@code work}, and disconnects. */
  static <T> T withNode(FlowpayOptions options, Function<FlowpayNode, T> work) {
    Vertx vertx = Vertx.vertx();
    try {
      return work.apply(FlowpayNode.connect(vertx, options).await());
    } finally {
      vertx.close().await();
    }
  }

  /** Every kind has its exit code ({@link ExitCodes}): a new kind does not compile until it is placed here. */
  static int exitCode(FlowpayFailure.Kind kind) {
    return switch (kind) {
      case CONFIG_INVALID, BAD_REQUEST, FLOW_INVALID, FLOW_NOT_FOUND -> ExitCodes.USAGE;
      case SCRIPT_ERROR, SCRIPT_TIMEOUT, CHAIN_TIMEOUT, CHAIN_NOT_FOUND, CONTEXT_CONFLICT, REDIS_UNAVAILABLE,
          REDIS_ERROR -> ExitCodes.FAILED;
    };
  }

  /** A {@code --input} option's JSON value; a clear error when it is not JSON. */
  static Object parseInput(String input) {
    try {
      return Json.decodeValue(input);
    } catch (DecodeException bad) {
      throw new FlowpayFailure(FlowpayFailure.Kind.BAD_REQUEST,
          "--input is not JSON (" + bad.getMessage().lines().findFirst().orElse("") + "): e.g. --input '{\"amount\": 2000}'");
    }
  }
}
