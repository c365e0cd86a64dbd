package io.flowpay.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.flow.Call;
import io.flowpay.flow.Caller;
import io.flowpay.flow.Effects;
import io.flowpay.flow.Ids;
import io.flowpay.flow.RawJson;
import io.flowpay.flow.RunError;
import io.flowpay.flow.RunResult;
import io.flowpay.flow.RunStatus;
import io.flowpay.flow.Task;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The commit, reply and chain semantics the guarantees rest on, against a real Redis. */
class RedisTaskQueueIT extends QueueFixture {

  /** A configured retention (redis.chainRetentionDays: 2), to see it is the one used. */
  private static final long RETENTION = 2 * 86_400;

  @Override
  RedisTaskQueue queue(Redis redis) {
    return new RedisTaskQueue(redis, 3, RETENTION);
  }

  @Test
  void commitWritesStateOutboxAndRunRecordAndAcknowledgesTask() {
    Delivery delivery = startAndRead();
    Task task = delivery.task();
    Effects effects = new Effects();
    effects.write("status", "\"creating\"");
    effects.write("amount", "2000");
    effects.call(call(task, 0));

    Commit outcome = queue.commit(delivery, queue.snapshot(task.contextId()).await(), ok(effects)).await();

    assertEquals(new Commit(Commit.Outcome.COMMITTED, "1", null), outcome);
    assertEquals(new JsonObject().put("status", "creating").put("amount", 2000), queue.contextState(task.contextId()).await());
    assertEquals("1", queue.snapshot(task.contextId()).await().version());
    assertEquals(List.of(Ids.callId(task.taskId(), 0)),
        queue.outbox(task.workerId()).await().stream().map(Call::callId).toList());
    assertEquals(0, pendingCount(task.workerId()));
    ChainStatus chain = queue.chain(task.chainId()).await();
    assertEquals(1, chain.pending(), "the call is still in flight");
    assertEquals(1, chain.runs());
    assertFalse(chain.settled());
  }

  @Test
  void laterCommitDeletesAndOverwritesKeysAndKeepsLargeNumbersExact() {
    Delivery first = startAndRead();
    String context = first.task().contextId();
    Effects writes = new Effects();
    writes.write("a", "1");
    writes.write("b", "\"kept\"");
    queue.commit(first, queue.snapshot(context).await(), ok(writes)).await();
    Task next = Task.main("main", first.task().workerId(), context, Caller.CLI, null);
    queue.start(next).await();
    Delivery second = queue.read(reader, next.workerId(), 10, 100).await().get(0);
    Effects changes = new Effects();
    changes.write("a", null);
    changes.write("big", "12345678901234567890");

    Commit outcome = queue.commit(second, queue.snapshot(context).await(), ok(changes)).await();

    assertEquals(new Commit(Commit.Outcome.COMMITTED, "2", null), outcome);
    Snapshot state = queue.snapshot(context).await();
    assertEquals(java.util.Map.of("b", "\"kept\"", "big", "12345678901234567890"), state.values());
    assertEquals("2", state.version());
  }

  @Test
  void aRunWithThousandsOfWritesAndCallsCommitsThemAll() {
    Delivery first = startAndRead();
    String context = first.task().contextId();
    Effects writes = new Effects();
    for (int i = 0; i < 4500; i++) {
      writes.write("k" + i, String.valueOf(i));
    }
    for (int i = 0; i < 700; i++) {
      writes.call(call(first.task(), i));
    }
    assertEquals(Commit.Outcome.COMMITTED, queue.commit(first, queue.snapshot(context).await(), ok(writes)).await().outcome());
    Task next = Task.main("main", first.task().workerId(), context, Caller.CLI, null);
    queue.start(next).await();
    Delivery second = queue.read(reader, next.workerId(), 10, 100).await().get(0);
    Effects deletes = new Effects();
    for (int i = 0; i < 2500; i++) {
      deletes.write("k" + i, null);
    }

    Commit outcome = queue.commit(second, queue.snapshot(context).await(), ok(deletes)).await();

    assertEquals(new Commit(Commit.Outcome.COMMITTED, "2", null), outcome);
    Snapshot state = queue.snapshot(context).await();
    assertEquals(2000, state.values().size());
    assertEquals("4499", state.values().get("k4499"));
    assertEquals("2", state.version());
    assertEquals(700, queue.outbox(first.task().workerId()).await().size());
    assertEquals(700, queue.chain(first.task().chainId()).await().pending(), "its 700 calls are in flight");
  }

  @Test
  void staleSnapshotConflictsAndWritesNothing() {
    Delivery delivery = startAndRead();
    Task task = delivery.task();
    Snapshot stale = queue.snapshot(task.contextId()).await();
    redis.send(Request.cmd(Command.HSET).arg(RedisKeys.context(task.workerId(), task.contextId())).arg("_version").arg("7")
        .arg("other").arg("\"written meanwhile\"")).await();
    Effects effects = new Effects();
    effects.write("status", "\"mine\"");
    effects.call(call(task, 0));

    Commit outcome = queue.commit(delivery, stale, ok(effects)).await();

    assertEquals(new Commit(Commit.Outcome.CONFLICT, "7", null), outcome);
    assertLeftPending(task, new JsonObject().put("other", "written meanwhile"), "to run again on a fresh snapshot");
  }

  @Test
  void secondCommitOfOneDeliveryCommitsNothing() {
    Delivery delivery = startAndRead();
    Task task = delivery.task();
    Effects first = new Effects();
    first.write("n", "1");
    assertEquals(Commit.Outcome.COMMITTED,
        queue.commit(delivery, queue.snapshot(task.contextId()).await(), ok(first)).await().outcome());
    Effects second = new Effects();
    second.write("n", "2");

    Commit outcome = queue.commit(delivery, queue.snapshot(task.contextId()).await(), ok(second)).await();

    assertEquals(Commit.Outcome.DUPLICATE, outcome.outcome());
    assertEquals(new JsonObject().put("n", 1), queue.contextState(task.contextId()).await());
    assertEquals(1, queue.chain(task.chainId()).await().runs());
  }

  @Test
  void runsCommittedInOneRequestEachCommitOnTheirOwn() {
    Delivery fresh = startAndRead();
    Delivery stale = startAndRead();
    Snapshot staleSnapshot = queue.snapshot(stale.task().contextId()).await();
    redis.send(Request.cmd(Command.HSET).arg(RedisKeys.context(stale.task().workerId(), stale.task().contextId())).arg("_version").arg("3")).await();
    Effects first = new Effects();
    first.write("status", "\"paid\"");
    first.call(call(fresh.task(), 0));
    Effects second = new Effects();
    second.write("status", "\"lost\"");

    List<Commit> outcomes = queue.commit(List.of(
        queue.prepare(fresh, queue.snapshot(fresh.task().contextId()).await(), ok(first)),
        queue.prepare(stale, staleSnapshot, ok(second)))).await();

    assertEquals(List.of(new Commit(Commit.Outcome.COMMITTED, "1", null), new Commit(Commit.Outcome.CONFLICT, "3", null)),
        outcomes);
    assertEquals(new JsonObject().put("status", "paid"), queue.contextState(fresh.task().contextId()).await());
    assertEquals(new JsonObject(), queue.contextState(stale.task().contextId()).await());
    assertEquals(0, pendingCount(fresh.task().workerId()));
    assertEquals(1, pendingCount(stale.task().workerId()), "the conflicting task stays pending, to run again");
    assertEquals(1, queue.outbox(fresh.task().workerId()).await().size());
  }

  @Test
  void callsOfARunCommittedTwiceAreStillToSendUntilAnswered() {
    Delivery delivery = startAndRead();
    Task task = delivery.task();
    Effects effects = commitWithCalls(delivery, 2);
    Call answered = effects.calls().get(0);
    queue.reply(answered, answered.replyTask(true, new JsonObject().put("id", "pi_1"))).await();

    Commit again = queue.commit(delivery, queue.snapshot(task.contextId()).await(), ok(effects)).await();

    assertEquals(Commit.Outcome.DUPLICATE, again.outcome());
    assertEquals(List.of(effects.calls().get(1).callId()),
        queue.unanswered(task.workerId(), effects.calls()).await().stream().map(Call::callId).toList());
  }

  @Test
  void commitOfADisabledFlowWritesNothingAndLeavesTheTaskPending() {
    Delivery delivery = startAndRead("flaky_" + Ids.newId().substring(0, 8));
    Task task = delivery.task();
    redis.send(Request.cmd(Command.HSET).arg(RedisKeys.flow(task.workerId(), task.flow())).arg("disabled_at").arg("1")
        .arg("last_error").arg("script_error: boom")).await();
    Effects effects = new Effects();
    effects.write("status", "\"never\"");
    effects.call(call(task, 0));

    Commit outcome = queue.commit(delivery, queue.snapshot(task.contextId()).await(), ok(effects)).await();

    assertEquals(Commit.Outcome.FLOW_DISABLED, outcome.outcome());
    assertTrue(outcome.flowDisabled().contains("last error: script_error: boom"), outcome.flowDisabled());
    assertTrue(outcome.flowDisabled().contains("flowpay flow enable " + task.flow()), outcome.flowDisabled());
    assertLeftPending(task, new JsonObject(), "until the worker parks it");
  }

  @Test
  void failedRunWritesOnlyItsRecordAndSettlesTheChain() {
    Delivery delivery = startAndRead();
    Task task = delivery.task();
    Effects effects = new Effects();
    effects.write("status", "\"never\"");
    effects.call(call(task, 0));
    RunResult failed = new RunResult(RunStatus.FAILED, effects,
        new RunError("script_error", "Error: boom", "flows/main.js", 3), System.currentTimeMillis(), 10);

    assertEquals(Commit.Outcome.COMMITTED,
        queue.commit(delivery, queue.snapshot(task.contextId()).await(), failed).await().outcome());

    assertEquals(new JsonObject(), queue.contextState(task.contextId()).await());
    assertTrue(queue.outbox(task.workerId()).await().isEmpty());
    ChainStatus chain = queue.chain(task.chainId()).await();
    assertTrue(chain.settled());
    assertEquals(1, chain.failed());
  }

  @Test
  void aChainIsKeptItsRetentionPastItsLastRunOrItsLastTimerWhicheverIsLater() {
    Delivery first = startAndRead();
    Task task = first.task();
    Task next = task.child("next", task.workerId(), task.contextId(), Caller.FLOW, null, null);
    Effects plain = new Effects();
    plain.dispatch(next);
    queue.commit(first, queue.snapshot(task.contextId()).await(), ok(plain)).await();
    assertKept(task.chainId(), RETENTION - 60, RETENTION);

    Delivery second = queue.read(reader, task.workerId(), 10, 100).await().get(0);
    Task later = second.task().child("reminder", task.workerId(), task.contextId(), Caller.FLOW, null, null);
    Task sibling = second.task().child("next", task.workerId(), task.contextId(), Caller.FLOW, null, null);
    Effects withTimer = new Effects();
    withTimer.after(30L * 24 * 3600 * 1000, later);
    withTimer.dispatch(sibling);
    queue.commit(second, queue.snapshot(task.contextId()).await(), ok(withTimer)).await();
    long timerAndRetention = 30L * 24 * 3600 + RETENTION;
    assertKept(task.chainId(), timerAndRetention - 60, timerAndRetention);

    Delivery third = queue.read(reader, task.workerId(), 10, 100).await().get(0);
    assertEquals(sibling, third.task());
    queue.commit(third, queue.snapshot(task.contextId()).await(), ok(new Effects())).await();
    assertKept(task.chainId(), timerAndRetention - 60, timerAndRetention);
  }

  private void assertKept(String chainId, long atLeast, long atMost) {
    for (String key : List.of(RedisKeys.chain(chainId), RedisKeys.chainRuns(chainId))) {
      long ttl = redis.send(Request.cmd(Command.TTL).arg(key)).await().toLong();
      assertTrue(ttl >= atLeast && ttl <= atMost, key + " expires in " + ttl + " s, not in [" + atLeast + ", " + atMost + "]");
    }
  }

  @Test
  void replyEnqueuesOneTaskPerCallEvenWhenAnsweredTwice() {
    Delivery delivery = startAndRead();
    Task task = delivery.task();
    Effects effects = new Effects();
    Call call = call(task, 0);
    effects.call(call);
    queue.commit(delivery, queue.snapshot(task.contextId()).await(), ok(effects)).await();
    JsonObject answer = new JsonObject().put("id", "pi_1").put("object", "payment_intent");

    assertTrue(queue.reply(call, call.replyTask(true, answer)).await());
    assertFalse(queue.reply(call, call.replyTask(true, answer)).await(), "a re-sent call's second answer adds nothing");

    List<Delivery> replies = queue.read(reader, task.workerId(), 10, 100).await();
    assertEquals(1, replies.size());
    Task reply = replies.get(0).task();
    assertEquals("new_create_payment_intent_response", reply.flow());
    assertEquals(task.workerId(), reply.workerId());
    assertEquals(task.contextId(), reply.contextId());
    assertEquals("stripe", reply.callerId());
    assertEquals(answer, reply.input());
    assertEquals(call.idempotencyKey(), reply.reply().request().getString("idempotency_key"));
    assertTrue(queue.outbox(task.workerId()).await().isEmpty());
  }

  @Test
  void answersStoredInOneRequestEachEnqueueOnceAndComeBackAsNewTasks() {
    Delivery delivery = startAndRead();
    Task task = delivery.task();
    Effects effects = commitWithCalls(delivery, 2);
    Call first = effects.calls().get(0);
    Call second = effects.calls().get(1);
    assertTrue(queue.reply(second, second.replyTask(true, new JsonObject().put("id", "pi_2"))).await());
    Task firstAnswer = first.replyTask(true, RawJson.object("{\"id\": \"pi_1\"}"));

    Replied replied = queue.reply(List.of(
        Answer.of(first, firstAnswer),
        Answer.of(second, second.replyTask(false, new JsonObject().put("id", "again")))), 10).await();

    assertEquals(List.of(true, false), replied.enqueued(), "the second call had been answered before");
    assertEquals(List.of(new JsonObject().put("id", "pi_2"), new JsonObject().put("id", "pi_1")),
        replied.read().stream().map(read -> read.task().input()).toList(),
        "the earlier answer waiting in the stream first, then the one just stored");
    assertEquals(firstAnswer, replied.read().get(1).task());
    assertEquals(2, pendingCount(task.workerId()), "both handed out to the worker, to be acknowledged by their commits");
    assertTrue(queue.read(reader, task.workerId(), 10, 10).await().isEmpty(), "nothing is handed out twice");
  }

  @Test
  void unreadableEntryIsParkedInDeadLettersNotLost() {
    String worker = "w-" + Ids.newId();
    queue.ensureGroup(worker).await();
    redis.send(Request.cmd(Command.XADD).arg(RedisKeys.tasks(worker)).arg("*").arg("task").arg("{not json")).await();
    Delivery delivery = queue.read(reader, worker, 10, 100).await().get(0);
    assertNull(delivery.task());

    queue.deadLetter(delivery, "unreadable", "not a readable task").await();

    assertEquals(0, pendingCount(worker));
    var dead = redis.send(Request.cmd(Command.XRANGE).arg(RedisKeys.dead(worker)).arg("-").arg("+")).await();
    assertEquals(1, dead.size());
    assertTrue(dead.get(0).get(1).toString().contains("{not json"));
  }

  /** Commits a run of the delivered task that made {@code count} calls; returns its effects. */
  private Effects commitWithCalls(Delivery delivery, int count) {
    Effects effects = new Effects();
    for (int i = 0; i < count; i++) {
      effects.call(call(delivery.task(), i));
    }
    queue.commit(delivery, queue.snapshot(delivery.task().contextId()).await(), ok(effects)).await();
    return effects;
  }
}
