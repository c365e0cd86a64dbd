package io.flowpay.cli;

import io.flowpay.config.FlowpayOptions;
import io.flowpay.failure.FlowpayFailure;
import io.flowpay.flow.Ids;
import io.flowpay.queue.ChainStatus;
import io.flowpay.worker.FlowpayNode;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flowpay chain <id> [--follow]}: a chain as a timeline of its runs, live with {@code --follow}. */
@Command(name = "chain", mixinStandardHelpOptions = true,
    description = "A chain's runs in order: flow, worker, caller, duration, status, log lines, state written, calls"
        + " (method, path, idempotency key, flows that get the answer), flows started, timers; then its status."
        + " --follow prints runs as they commit until the chain is settled.%n"
        + "Exit code: 0 when the chain is settled with no failed run, 1 when a run failed, the chain is not settled"
        + " (in time, with --follow) or does not exist, 2 for usage/config errors.")
public final class ChainCommand extends RedisCommand {

  static final int MAX_RUNS = 1000;

  @Parameters(index = "0", paramLabel = "CHAIN_ID", description = "Chain id (what POST /v1/runs and 'run' answer).")
  String chainId;

  @Mixin
  FollowOption follow;

  @Option(names = "--json", description = "One JSON run record per line, then a summary object.")
  boolean json;

  @Override
  void check(FlowpayOptions options) {
    if (!Ids.isChainId(chainId)) {
      throw new FlowpayFailure(FlowpayFailure.Kind.BAD_REQUEST, "CHAIN_ID '" + chainId + "' is not valid: use the"
          + " chain_id 'run' or POST /v1/runs answered (letters, digits, '_' or '-', then '~' and the chain's home"
          + " worker id)");
    }
  }

  @Override
  int run(PrintWriter out, FlowpayOptions options, FlowpayNode node) {
    RunPrinter printer = new RunPrinter(out, json);
    ChainStatus status;
    if (follow.on) {
      status = follow.chain(node, options, chainId, printer);
    } else {
      status = node.queue().chain(chainId).await();
      if (status == null) {
        throw new FlowpayFailure(FlowpayFailure.Kind.CHAIN_NOT_FOUND, "no chain '" + chainId + "' in Redis (chains are kept "
            + options.redis().chainRetentionDays() + " days after their last run; is REDIS_URL the service's?)");
      }
      node.queue().chains().runs(chainId, MAX_RUNS).await().forEach(run -> printer.print((JsonObject) run));
    }
    printer.summary(ChainFollower.summary(status).put("pending", status.pending()).put("dead", status.dead()));
    return status.settled() && status.failed() == 0 ? ExitCodes.OK : ExitCodes.FAILED;
  }
}
