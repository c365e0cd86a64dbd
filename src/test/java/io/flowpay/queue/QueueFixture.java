package io.flowpay.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flowpay.TestRedis;
import io.flowpay.flow.Call;
import io.flowpay.flow.Caller;
import io.flowpay.flow.Effects;
import io.flowpay.flow.Ids;
import io.flowpay.flow.RunResult;
import io.flowpay.flow.RunStatus;
import io.flowpay.flow.Task;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the queue's integration tests share: a {@link RedisTaskQueue} on the real test Redis, a connection of its own
 * to read tasks with (as a worker has), and the steps they repeat: start a task and read it, count what is pending,
 * make a call and a successful run. Each test uses fresh worker and context ids.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(TestRedis.Extension.class)
abstract class QueueFixture {

  Vertx vertx;
  Redis redis;
  RedisConnection reader;
  RedisTaskQueue queue;

  /** The queue under test, on {@code redis}. */
  abstract RedisTaskQueue queue(Redis redis);

  @BeforeAll
  void connect(TestRedis testRedis) {
    vertx = Vertx.vertx();
    RedisOptions options = new RedisOptions().setConnectionString(testRedis.url())
        .setPreferredProtocolVersion(ProtocolVersion.RESP2);
    redis = Redis.createClient(vertx, options);
    reader = Redis.createClient(vertx, options).connect().await();
    queue = queue(redis);
  }

  @AfterAll
  void close() {
    vertx.close().await();
  }

  Delivery startAndRead() {
    return startAndRead("main");
  }

  /** Starts a main {@code flow} on a new worker id and context, and reads it as that worker: its one delivery. */
  Delivery startAndRead(String flow) {
    Task task = Task.main(flow, "w-" + Ids.newId(), "ctx-" + Ids.newId(), Caller.CLI, new JsonObject().put("amount", 2000));
    queue.start(task).await();
    List<Delivery> deliveries = queue.read(reader, task.workerId(), 10, 100).await();
    assertEquals(1, deliveries.size());
    assertEquals(task, deliveries.get(0).task());
    return deliveries.get(0);
  }

  long pendingCount(String worker) {
    return redis.send(Request.cmd(Command.XPENDING).arg(RedisKeys.tasks(worker)).arg(RedisKeys.GROUP)).await()
        .get(0).toLong();
  }

  /** A commit that wrote nothing: the context's state is still {@code state}, no call in the outbox, the task pending. */
  void assertLeftPending(Task task, JsonObject state, String why) {
    assertEquals(state, queue.contextState(task.contextId()).await(), "the context's state is as it was");
    assertEquals(List.of(), queue.outbox(task.workerId()).await(), "no call in the outbox");
    assertEquals(1, pendingCount(task.workerId()), "the task stays pending, " + why);
  }

  /** The task's {@code index}-th call: a payment intent of 2000 usd, its answer to the response or error flow. */
  static Call call(Task task, int index) {
    return new Call(Ids.callId(task.taskId(), index), "POST", "/v1/payment_intents",
        new JsonObject().put("amount", 2000).put("currency", "usd"), Ids.idempotencyKey(task.taskId(), index),
        "new_create_payment_intent_response", "new_create_payment_intent_error", null, null, task);
  }

  static RunResult ok(Effects effects) {
    return new RunResult(RunStatus.OK, effects, null, System.currentTimeMillis(), 10);
  }

  /** Runs {@code body} with {@code other} as the queue under test, then puts the fixture's back. */
  void with(RedisTaskQueue other, Runnable body) {
    RedisTaskQueue own = queue;
    queue = other;
    try {
      body.run();
    } finally {
      queue = own;
    }
  }

  /** A new worker id with its stream's consumer group. */
  String worker() {
    String worker = "qf-" + Ids.newId().substring(0, 10);
    queue.ensureGroup(worker).await();
    return worker;
  }

  /** Reads the one task waiting for {@code worker}, as that worker. */
  Delivery readOne(String worker) {
    List<Delivery> read = queue.read(reader, worker, 1, 1).await();
    assertEquals(1, read.size(), "a task for " + worker);
    return read.get(0);
  }

  /** Commits a successful run of {@code delivery} that dispatched these tasks (and started these timers, due now). */
  void commit(Delivery delivery, List<Task> dispatches, List<Task> timers) {
    Effects effects = new Effects();
    dispatches.forEach(effects::dispatch);
    timers.forEach(timer -> effects.after(0, timer));
    Commit commit = queue.commit(delivery, queue.load(delivery.task()).await(),
        new RunResult(RunStatus.OK, effects, null, System.currentTimeMillis(), 10)).await();
    assertEquals(Commit.Outcome.COMMITTED, commit.outcome());
  }

  void commit(Delivery delivery, List<Task> dispatches) {
    commit(delivery, dispatches, List.of());
  }

  /** A length ({@code XLEN}, {@code ZCARD}, ...) of {@code key}. */
  long length(Command command, String key) {
    return send(Request.cmd(command).arg(key)).toLong();
  }

  io.vertx.redis.client.Response send(Request request) {
    return redis.send(request).await();
  }
}
