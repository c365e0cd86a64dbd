package io.flowpay.cli;

import io.flowpay.config.FlowpayOptions;
import java.io.PrintWriter;
import picocli.CommandLine.Mixin;

/** A sub-command that works from the config ({@code --config}, or conf/flowpay.json when present). */
abstract class ConfiguredCommand extends CommandSupport {

  @Mixin
  ConfigOption config;

  @Override
  final int run(PrintWriter out) throws Exception {
    return run(out, options(config.file, false));
  }

  /** Runs with the config read (and checked); the exit code. */
  abstract int run(PrintWriter out, FlowpayOptions options) throws Exception;
}
