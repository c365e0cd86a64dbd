package io.flowpay.cli;

import io.flowpay.config.FlowpayOptions;
import io.flowpay.queue.ChainStatus;
import io.flowpay.worker.FlowpayNode;
import picocli.CommandLine.Option;

/** {@code --follow} and {@code --timeout}, shared by the commands that can follow a chain live ({@code @Mixin}). */
final class FollowOption {

  @Option(names = "--follow", description = "Print each run of the chain as it commits, until the chain is settled.")
  boolean on;

  @Option(names = "--timeout", defaultValue = "300",
      description = "With --follow: seconds to wait for the chain to settle (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  /** Prints each run of the chain as it commits, until it is settled or the timeout passed; its status then. */
  ChainStatus chain(FlowpayNode node, FlowpayOptions options, String chainId, RunPrinter printer) {
    return ChainFollower.follow(node, options, chainId, printer, timeoutSeconds * 1000).await();
  }
}
