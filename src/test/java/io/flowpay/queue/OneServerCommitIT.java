package io.flowpay.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.flow.Caller;
import io.flowpay.flow.Effects;
import io.flowpay.flow.Ids;
import io.flowpay.flow.Task;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A commit on one server (standalone, Sentinel): what a run starts on other workers, and the count of a chain whose
 * home is another worker, are written by the commit itself, in the same step as the rest of the run, not through
 * the worker's forward stream (Redis Cluster's way, {@code ForwardRelayIT}). A worker nobody served yet gets its
 * stream as its own worker would make it; a commit that does not happen writes nothing anywhere.
 */
class OneServerCommitIT extends QueueFixture {

  private static final long RETENTION = 3_600;

  @Override
  RedisTaskQueue queue(Redis redis) {
    return new RedisTaskQueue(redis, 0, RETENTION);
  }

  @Test
  void aRunWritesItsTasksOnOtherWorkersAndItsChainsCountAtTheHomeInItsOwnCommit() {
    String home = worker();
    String other = worker();
    String unserved = "qf-" + Ids.newId().substring(0, 10);  // no stream, no consumer group yet
    String later = "qf-" + Ids.newId().substring(0, 10);
    Task main = Task.main("main", home, "ctx-" + Ids.newId(), Caller.CLI, new JsonObject());
    queue.start(main).await();
    Task onOther = child(main, other);
    commit(readOne(home), List.of(onOther));
    assertEquals(0, length(Command.EXISTS, RedisKeys.forward(home)), "nothing for the home's relay");

    Delivery second = readOne(other);
    assertEquals(onOther.taskId(), second.task().taskId(), "the dispatch is at the other worker at once");
    Task there = child(second.task(), unserved);
    Task due = child(second.task(), later);
    commit(second, List.of(there), List.of(due));

    assertEquals(0, length(Command.EXISTS, RedisKeys.forward(other)), "nothing for the other worker's relay");
    ChainStatus chain = queue.chain(main.chainId()).await();
    assertEquals(2, chain.runs(), "the other worker's run counted at the chain's home: " + chain);
    assertEquals(2, chain.pending(), "the task and the timer it started: " + chain);
    Set<String> known = new HashSet<>();
    send(Request.cmd(Command.SMEMBERS).arg(RedisKeys.workerIds())).forEach(id -> known.add(id.toString()));
    assertTrue(known.containsAll(Set.of(unserved, later)), "workers listed for operators: " + known);
    Delivery third = readOne(unserved);
    assertEquals(there.taskId(), third.task().taskId(), "read through the group the commit made");
    assertEquals(1, length(Command.ZCARD, RedisKeys.timers(later)));
    assertEquals(1, queue.moveDueTimers(later, 10).await());
    Delivery fourth = readOne(later);
    assertEquals(due.taskId(), fourth.task().taskId());

    commit(third, List.of(), List.of());
    commit(fourth, List.of(), List.of());
    chain = queue.chain(main.chainId()).await();
    assertTrue(chain.settled(), "every run counted once: " + chain);
    assertEquals(4, chain.runs(), "every run counted once: " + chain);
  }

  @Test
  void aCommitThatConflictsOrCameBeforeWritesNothingAtOtherWorkers() {
    String home = worker();
    String target = "qf-" + Ids.newId().substring(0, 10);
    String context = "ctx-" + Ids.newId();
    Task first = Task.main("main", home, context, Caller.CLI, new JsonObject());
    Task second = Task.main("main", home, context, Caller.CLI, new JsonObject());
    queue.start(first).await();
    queue.start(second).await();
    Delivery one = readOne(home);
    Delivery two = readOne(home);
    Snapshot stale = queue.load(two.task()).await();
    Effects writes = new Effects();
    writes.write("status", "\"paid\"");
    writes.dispatch(child(one.task(), target));
    assertEquals(Commit.Outcome.COMMITTED, queue.commit(one, queue.load(one.task()).await(), ok(writes)).await()
        .outcome());
    assertEquals(1, length(Command.XLEN, RedisKeys.tasks(target)));

    Effects late = new Effects();
    late.write("status", "\"failed\"");
    late.dispatch(child(two.task(), target));
    late.after(0, child(two.task(), target));
    assertEquals(Commit.Outcome.CONFLICT, queue.commit(two, stale, ok(late)).await().outcome());
    assertEquals(Commit.Outcome.DUPLICATE, queue.commit(one, queue.load(one.task()).await(), ok(writes)).await()
        .outcome());

    assertEquals(1, length(Command.XLEN, RedisKeys.tasks(target)), "only the commit that happened wrote there");
    assertEquals(0, length(Command.ZCARD, RedisKeys.timers(target)));
    assertEquals(1, queue.chain(second.chainId()).await().pending(), "the conflicting run's chain unchanged");
  }

  private static Task child(Task parent, String worker) {
    return parent.child("step", worker, "ctx-" + Ids.newId(), Caller.FLOW, null, null);
  }
}
