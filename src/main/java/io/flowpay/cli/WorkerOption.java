package io.flowpay.cli;

import io.flowpay.config.FlowpayOptions;
import io.flowpay.failure.FlowpayFailure;
import io.flowpay.flow.FlowNames;
import io.flowpay.flow.Placement;
import picocli.CommandLine.Option;

/** {@code --worker ID}, shared by the commands that act on one worker ({@code @Mixin}). */
final class WorkerOption {

  @Option(names = "--worker", description = "Worker id (default: one of the config's workers: for a context, the one it is placed on).")
  String id;

  /** The {@code --worker} value, or the first of the config's workers; fails naming {@code --worker} when invalid. */
  String of(FlowpayOptions options) {
    return FlowNames.requireId("--worker", id == null ? options.workers().get(0) : id);
  }

  /**
   * The {@code --worker} value, or the worker {@code contextId} is placed on among the config's workers: the
   * one the API and webhooks pick for it too.
   */
  String forContext(FlowpayOptions options, String contextId) {
    if (id == null) {
      return Placement.workerFor(contextId, options.workers());
    }
    if (!options.workers().contains(FlowNames.requireId("--worker", id))) {  // as POST /v1/runs refuses it
      throw new FlowpayFailure(FlowpayFailure.Kind.BAD_REQUEST, "--worker '" + id + "' is not one of the config's"
          + " workers (" + String.join(", ", options.workers()) + "): no process would take its task. Name one of"
          + " them, or pass the service's config with --config");
    }
    return id;
  }
}
