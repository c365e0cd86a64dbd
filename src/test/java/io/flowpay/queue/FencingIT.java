package io.flowpay.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.flow.Call;
import io.flowpay.flow.Effects;
import io.flowpay.flow.RunResult;
import io.flowpay.flow.Task;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every Lua step a worker runs for its worker id is fenced by the id's lease: a process whose token
 * no longer holds the lease writes nothing, whatever it tries; the holder's writes go through.
 */
class FencingIT extends QueueFixture {

  @Override
  RedisTaskQueue queue(Redis redis) {
    return new RedisTaskQueue(redis);
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
    assertLeftPending(task, new JsonObject(), "for the holder");
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

  private static RunResult writesAndCalls(Task task) {
    Effects effects = new Effects();
    effects.write("status", "\"creating\"");
    effects.call(call(task, 0));
    return ok(effects);
  }
}
