package io.flowpay.worker;

import io.flowpay.config.WorkerOptions;
import io.flowpay.metrics.FlowMetrics;
import io.flowpay.queue.RedisTaskQueue;
import io.vertx.core.Vertx;

/** What every unit of one worker shares: its Vert.x, id, options, queue, Redis retry, lease and metrics. */
record WorkerScope(Vertx vertx, String workerId, WorkerOptions options, RedisTaskQueue queue, RedisRetry retry,
    LeaseGuard lease, FlowMetrics metrics) {}
