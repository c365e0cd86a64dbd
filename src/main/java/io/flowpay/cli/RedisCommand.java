package io.flowpay.cli;

import io.flowpay.config.FlowpayOptions;
import io.flowpay.worker.FlowpayNode;
import java.io.PrintWriter;

/**
 * A sub-command that looks at or acts on the service's Redis: it reads the config, checks its arguments, connects
 * (no workers), does its one thing, and disconnects. A failure becomes a message and an exit code
 * ({@link CommandSupport}).
 */
abstract class RedisCommand extends ConfiguredCommand {

  @Override
  final int run(PrintWriter out, FlowpayOptions options) {
    check(options);
    return withNode(options, node -> run(out, options, node));
  }

  /** Checks the arguments before connecting, so that a usage error needs no Redis; throws a {@code FlowpayFailure}. */
  void check(FlowpayOptions options) {
  }

  /** The command's work against the connected node; the exit code. */
  abstract int run(PrintWriter out, FlowpayOptions options, FlowpayNode node);
}
