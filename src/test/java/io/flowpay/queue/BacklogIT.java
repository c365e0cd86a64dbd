package io.flowpay.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.flow.Caller;
import io.flowpay.TestRedis;
import io.flowpay.flow.Ids;
import io.flowpay.flow.Task;
import io.flowpay.metrics.FlowMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The autoscaler's signals of a worker: its backlog as read from Redis, and as Prometheus shows it. */
@ExtendWith(TestRedis.Extension.class)
class BacklogIT {

  @Test
  void backlogCountsTasksNotDoneAndAgesTheOldest(TestRedis testRedis) {
    Vertx vertx = Vertx.vertx();
    Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(testRedis.url())
        .setPreferredProtocolVersion(ProtocolVersion.RESP2));
    try {
      RedisTaskQueue queue = new RedisTaskQueue(redis);
      String worker = "w-backlog-" + Ids.newId().substring(0, 8);
      assertEquals(new Backlog(0, 0), queue.backlog(worker).await(), "a worker with no stream has no backlog");

      long before = System.currentTimeMillis();
      for (int i = 0; i < 3; i++) {
        queue.start(Task.main("pay", worker, "ctx-" + Ids.newId(), Caller.CLI, new JsonObject())).await();
      }
      vertx.timer(20).await();
      Backlog backlog = queue.backlog(worker).await();
      long elapsed = System.currentTimeMillis() - before;

      assertEquals(3, backlog.length());
      assertTrue(backlog.oldestAgeMs() >= 20 && backlog.oldestAgeMs() <= elapsed + 5,
          "the oldest task waited at least the 20 ms slept and at most the " + elapsed + " ms since: " + backlog);

      FlowMetrics metrics = new FlowMetrics();
      metrics.workerQueue(worker, backlog.length(), 1_500);
      String scrape = metrics.scrape();
      assertTrue(scrape.contains("flowpay_worker_queue_length{worker=\"" + worker + "\"} 3.0"), scrape);
      assertTrue(scrape.contains("flowpay_worker_oldest_task_age_seconds{worker=\"" + worker + "\"} 1.5"), scrape);
    } finally {
      redis.close();
      vertx.close().await();
    }
  }
}
