package io.flowpay.bench;

import io.flowpay.config.FlowpayOptions;
import io.flowpay.config.WorkerOptions;
import io.flowpay.flow.Ids;
import io.flowpay.stripe.WebClientStripeClient;
import io.flowpay.worker.FlowpayNode;
import java.nio.file.Path;
import java.util.List;

/**
 * Flowpay as it runs in production: a {@link FlowpayNode} with one worker, the real
 * {@link WebClientStripeClient}, and real flows. One operation is one hop: a chain started with
 * {@code RedisTaskQueue.start} (main flow → Stripe call → answer through Redis → response flow
 * committed). The response flow's dispatch to a sink stream tells the bench the hop is done.
 */
final class FlowpayLoad extends ChainLoad {

  private static final String KEY = "sk_test_flowpay_bench";

  private final String worker;
  private final Path flows;

  FlowpayLoad(String redisUrl, String stripeBase, int maxInFlight) {
    this("bench-" + Ids.newId().substring(0, 8), redisUrl, stripeBase, maxInFlight);
  }

  private FlowpayLoad(String worker, String redisUrl, String stripeBase, int maxInFlight) {
    super(worker + "-done", "b" + worker, "flowpay");
    this.worker = worker;
    this.flows = BenchFlows.write(worker + "-done");
    FlowpayOptions defaults = new FlowpayOptions();
    WorkerOptions options = defaults.worker();
    FlowpayOptions config = defaults.withRedis(defaults.redis().withUrl(redisUrl))
        .withStripe(defaults.stripe().withApiBase(stripeBase).withMaxConnections(Modes.connections(maxInFlight)))
        .withWorker(new WorkerOptions(options.scriptThreads(), Math.max(options.maxInFlight(), maxInFlight),
            options.readBatch(), options.blockMs()))
        .withWorkers(List.of(worker))
        .withFlowsDir(flows);
    drive(FlowpayNode.start(vertx, config, new WebClientStripeClient(vertx, config.stripe(), KEY)).await(), config);
  }

  @Override
  String workerFor(String context) {
    return worker;
  }

  @Override
  public void close() {
    super.close();
    BenchFlows.delete(flows);
  }
}
