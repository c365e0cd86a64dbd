package io.flowpay.http;

import io.flowpay.metrics.FlowMetrics;
import io.flowpay.queue.RedisTaskQueue;
import io.flowpay.worker.FlowLibrary;
import io.flowpay.worker.FlowpayNode;
import io.vertx.redis.client.Redis;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the HTTP verticle talks to.
 *
 * @param redis pinged by {@code /health}; reads run records and dead letters
 * @param queue starts chains, reads chains and contexts
 * @param workers each worker id of the process and whether it is running ({@code /health})
 * @param flows files and uploaded flow versions ({@code /v1/flows}); null without a flow engine
 */
public record HttpServices(Redis redis, RedisTaskQueue queue, Supplier<Map<String, Boolean>> workers,
    FlowMetrics metrics, FlowLibrary flows) {

  public HttpServices(Redis redis, RedisTaskQueue queue, Supplier<Map<String, Boolean>> workers, FlowMetrics metrics) {
    this(redis, queue, workers, metrics, null);
  }

  public static HttpServices of(FlowpayNode node, FlowMetrics metrics) {
    return new HttpServices(node.redis(), node.queue(), node::workers, metrics, node.flows());
  }
}
