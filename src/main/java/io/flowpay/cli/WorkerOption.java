package io.flowpay.cli;

import io.flowpay.config.FlowpayOptions;
import picocli.CommandLine.Option;

/** {@code --worker ID}, shared by the commands that act on one worker ({@code @Mixin}). */
final class WorkerOption {

  @Option(names = "--worker", description = "Worker id (default: the first in the config's workers).")
  String id;

  /** The {@code --worker} value, or the first of the config's workers; fails naming {@code --worker} when invalid. */
  String of(FlowpayOptions options) {
    return CommandSupport.workerId(options, id);
  }
}
