package io.flowpay.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flowpay.TestRedis;
import io.flowpay.flow.Caller;
import io.flowpay.flow.Effects;
import io.flowpay.flow.Ids;
import io.flowpay.flow.RunResult;
import io.flowpay.flow.RunStatus;
import io.flowpay.flow.Task;
import io.flowpay.queue.Commit;
import io.flowpay.queue.Delivery;
import io.flowpay.queue.RedisKeys;
import io.flowpay.queue.RedisTaskQueue;
import io.flowpay.queue.PreparedCommit;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Runs committed together (group commit) must each get their own answer. */
@ExtendWith(TestRedis.Extension.class)
class BatcherIT {

  @Test
  void eachRunOfABatchGetsItsOwnOutcome(TestRedis testRedis) {
    commitTogether(testRedis, 7, 32);
  }

  /** As many runs in one script call as a worker puts there (its group commit's largest request), and one more. */
  @Test
  void theLargestBatchAWorkerSendsCommitsEachRunOnItsOwn(TestRedis testRedis) {
    commitTogether(testRedis, TaskRunner.ITEMS_PER_REQUEST + 1, TaskRunner.ITEMS_PER_REQUEST);
  }

  /**
   * Commits {@code runs} runs, every third of which conflicts, through a batcher of {@code maxBatch} items and one
   * request at a time: the first goes alone, the others wait and go together.
   */
  private static void commitTogether(TestRedis testRedis, int runs, int maxBatch) {
    Vertx vertx = Vertx.vertx();
    try {
      RedisOptions options = new RedisOptions().setConnectionString(testRedis.url())
          .setPreferredProtocolVersion(ProtocolVersion.RESP2);
      Redis redis = Redis.createClient(vertx, options);
      RedisTaskQueue queue = new RedisTaskQueue(redis);
      String worker = "w-" + Ids.newId();
      List<PreparedCommit> prepared = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        Task task = Task.main("main", worker, "ctx-" + i + "-" + Ids.newId(), Caller.CLI, null);
        queue.start(task).await();
      }
      var reader = Redis.createClient(vertx, options).connect().await();
      List<Delivery> deliveries = queue.read(reader, worker, runs, 100).await();
      assertEquals(runs, deliveries.size(), "tasks read");
      for (int i = 0; i < deliveries.size(); i++) {
        Delivery delivery = deliveries.get(i);
        Effects effects = new Effects();
        effects.write("n", String.valueOf(i));
        var snapshot = queue.snapshot(delivery.task().contextId()).await();
        if (i % 3 == 1) {
          // Someone else wrote to this context since the snapshot: this one must conflict, the others not.
          redis.send(Request.cmd(Command.HSET).arg(RedisKeys.context(delivery.task().workerId(), delivery.task().contextId())).arg("_version").arg("9"))
              .await();
        }
        prepared.add(queue.prepare(delivery, snapshot,
            new RunResult(RunStatus.OK, effects, null, System.currentTimeMillis(), 1)));
      }
      Batcher<PreparedCommit, Commit> batcher = new Batcher<>(queue::commit, maxBatch, 1);
      Promise<List<Commit>> committed = Promise.promise();
      vertx.runOnContext(on -> Future.all(prepared.stream().map(batcher::send).toList())
          .<List<Commit>>map(all -> all.list()).onComplete(committed));
      List<Commit> outcomes = committed.future().await();

      for (int i = 0; i < prepared.size(); i++) {
        String context = prepared.get(i).delivery().task().contextId();
        if (i % 3 == 1) {
          assertEquals(Commit.Outcome.CONFLICT, outcomes.get(i).outcome(), "run " + i);
          assertEquals(new JsonObject(), queue.contextState(context).await());
        } else {
          assertEquals(new Commit(Commit.Outcome.COMMITTED, "1", null), outcomes.get(i), "run " + i);
          assertEquals(new JsonObject().put("n", i), queue.contextState(context).await());
        }
      }
    } finally {
      vertx.close().await();
    }
  }
}
