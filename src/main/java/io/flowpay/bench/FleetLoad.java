package io.flowpay.bench;

import io.flowpay.config.FlowpayOptions;
import io.flowpay.flow.Placement;
import io.flowpay.worker.FlowpayNode;
import java.util.List;

/**
 * The bench's driver for {@code --processes}: it serves no worker. It starts each chain on the worker id its
 * context is placed on among the pool's ids, so the hops spread over the serve processes as their leases do.
 */
final class FleetLoad extends ChainLoad {

  private final List<String> ids;

  /**
   * @param ids the pool's worker ids, which the serve processes share
   * @param sink the worker id the bench flows dispatch {@code bench_done} to
   * @param run tells this run's contexts apart from any other's
   */
  FleetLoad(io.flowpay.config.RedisOptions redis, List<String> ids, String sink, String run) {
    super(sink, "f" + run, "flowpay --processes");
    this.ids = List.copyOf(ids);
    FlowpayOptions options = new FlowpayOptions().withRedis(redis).withWorkers(ids);
    drive(FlowpayNode.connect(vertx, options).await(), options);
  }

  @Override
  String workerFor(String context) {
    return Placement.workerFor(context, ids);
  }
}
