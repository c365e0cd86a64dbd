package io.flowpay.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.flow.Caller;
import io.flowpay.TestRedis;
import io.flowpay.flow.Call;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every Lua step a worker runs for its worker id is fenced by the id's lease: a process whose token
 * no longer holds the lease writes nothing, whatever it tries; the holder's writes go through.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(TestRedis.Extension.class)
class FencingIT {

  private Vertx vertx;
  private Redis redis;
  private RedisConnection reader;
  private RedisTaskQueue queue;

  @BeforeAll
  void connect(TestRedis testRedis) {
    vertx = Vertx.vertx();
    RedisOptions options = new RedisOptions().setConnectionString(testRedis.url())
        .setPreferredProtocolVersion(ProtocolVersion.RESP2);
    redis = Redis.createClient(vertx, options);
    reader = Redis.createClient(vertx, options).connect().await();
    queue = new RedisTaskQueue(redis);
  }

  @AfterAll
  void close() {
    vertx.close().await();
  }

  @Test
  void oldHolderCommitsNothingOnceAnotherHoldsTheLease() {
    Delivery delivery = startAndRead();
    Task task = delivery.task();
    String worker = task.workerId();
    queue.fences().hold(worker, "old-token");
    setLease(worker, "new-token");

    Throwable refused = assertThrows(Throwable.class,
        () -> queue.commit(delivery, queue.snapshot(task.contextId()).await(), writesAndCalls(task)).await());
    assertTrue(Fences.isFenced(refused), "a recognizable error: " + refused);
    assertEquals(new JsonObject(), queue.contextState(task.contextId()).await(), "no state written");
    assertEquals(List.of(), queue.outbox(worker).await(), "no call in the outbox");
    assertEquals(1, pendingCount(worker), "the task stays pending, for the holder");
    assertEquals(0, queue.chain(task.chainId()).await().runs(), "no run record");

    assertFenced(() -> queue.claim(worker, 0, 10, "-", List.of()).await());
    assertFenced(() -> queue.moveDueTimers(worker, 10).await());
    assertFenced(() -> queue.deadLetter(delivery, "deliveries", "parked by a fenced process").await());
    Call call = writesAndCalls(task).effects().calls().get(0);
    assertFenced(() -> queue.reply(call, task).await());
    assertFenced(() -> new ReconcilingCalls(redis, queue.fences())
        .hold(call, new ReconcileState(System.currentTimeMillis(), 1, null, "timeout", false), System.currentTimeMillis())
        .await());
    assertFenced(() -> queue.runStarting(delivery, true).await());
    assertFenced(() -> queue.runsDone(delivery).await());
    assertEquals(0L, redis.send(Request.cmd(Command.EXISTS).arg(RedisKeys.runsStarted(worker))).await().toLong(),
        "no run counted toward parking the task");
    assertEquals(1, pendingCount(worker), "still pending: nothing claimed, parked or acknowledged");

    queue.fences().hold(worker, "new-token");
    assertEquals(Commit.Outcome.COMMITTED,
        queue.commit(delivery, queue.snapshot(task.contextId()).await(), writesAndCalls(task)).await().outcome(),
        "the holder commits");
    assertEquals(new JsonObject().put("status", "creating"), queue.contextState(task.contextId()).await());
  }

  @Test
  void writerWithoutLeaseWritesOnlyWhileNobodyHoldsIt() {
    Delivery delivery = startAndRead();
    Task task = delivery.task();
    setLease(task.workerId(), "someone");
    assertFenced(() -> queue.commit(delivery, queue.snapshot(task.contextId()).await(), writesAndCalls(task)).await());

    redis.send(Request.cmd(Command.DEL).arg(RedisKeys.lease(task.workerId()))).await();
    assertEquals(Commit.Outcome.COMMITTED,
        queue.commit(delivery, queue.snapshot(task.contextId()).await(), writesAndCalls(task)).await().outcome(),
        "no lease anywhere (a tool, an older process): written as before");
  }

  @Test
  void droppedLeaseStaysFencedEvenWhenNobodyHoldsIt() {
    Delivery delivery = startAndRead();
    Task task = delivery.task();
    queue.fences().hold(task.workerId(), "mine");
    queue.fences().drop(task.workerId(), "mine");
    assertFenced(() -> queue.commit(delivery, queue.snapshot(task.contextId()).await(), writesAndCalls(task)).await());
  }

  private void assertFenced(org.junit.jupiter.api.function.Executable write) {
    Throwable refused = assertThrows(Throwable.class, write);
    assertTrue(Fences.isFenced(refused), "refused as fenced: " + refused);
  }

  private void setLease(String worker, String token) {
    redis.send(Request.cmd(Command.SET).arg(RedisKeys.lease(worker)).arg(token).arg("PX").arg(60_000)).await();
  }

  private Delivery startAndRead() {
    Task task = Task.main("main", "w-" + Ids.newId(), "ctx-" + Ids.newId(), Caller.CLI, new JsonObject().put("amount", 2000));
    queue.start(task).await();
    List<Delivery> deliveries = queue.read(reader, task.workerId(), 10, 100).await();
    assertEquals(1, deliveries.size());
    return deliveries.get(0);
  }

  private long pendingCount(String worker) {
    return redis.send(Request.cmd(Command.XPENDING).arg(RedisKeys.tasks(worker)).arg(RedisKeys.GROUP)).await()
        .get(0).toLong();
  }

  private static RunResult writesAndCalls(Task task) {
    Effects effects = new Effects();
    effects.write("status", "\"creating\"");
    effects.call(new Call(Ids.callId(task.taskId(), 0), "POST", "/v1/payment_intents",
        new JsonObject().put("amount", 2000).put("currency", "usd"), Ids.idempotencyKey(task.taskId(), 0),
        "new_create_payment_intent_response", "new_create_payment_intent_error", null, null, task));
    return new RunResult(RunStatus.OK, effects, null, System.currentTimeMillis(), 10);
  }
}
