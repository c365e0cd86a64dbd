package io.flowpay.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.flow.Caller;
import io.flowpay.flow.Ids;
import io.flowpay.flow.Task;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The forward stream (what a commit writes for other workers and for a chain whose home is another worker) and its
 * relay, on a real Redis: a relay repeated after a crash (applied, not yet removed) delivers nothing twice and counts
 * nothing twice; and whatever order the workers' relays run in, a chain never reads settled while a task of it is
 * still to run.
 */
class ForwardRelayIT extends QueueFixture {

  private static final long RETENTION = 3_600;

  @Override
  RedisTaskQueue queue(Redis redis) {
    // Redis Cluster's rules on one server: what a commit starts on other workers goes through the forward stream
    return new RedisTaskQueue(redis, 0, RETENTION, true);
  }

  @Test
  void aForwardEntryRelayedTwiceDeliversItsTaskOnceAndCountsItsRunOnce() {
    Hops hops = chainOverThreeWorkers();
    String other = hops.other();
    String target = hops.target();
    Task main = hops.main();
    Task onTarget = hops.onTarget();
    Response forwarded = hops.forwarded();

    assertEquals(2, queue.relayForwards(other).await());
    // A crash after applying, before removing: the same entries (same ids) are relayed again.
    send(Request.cmd(Command.DEL).arg(RedisKeys.forward(other)));
    for (Response entry : forwarded) {
      Request again = Request.cmd(Command.XADD).arg(RedisKeys.forward(other)).arg(entry.get(0).toString());
      entry.get(1).forEach(field -> again.arg(field.toString()));
      send(again);
    }
    assertEquals(2, queue.relayForwards(other).await());

    assertEquals(1, send(Request.cmd(Command.XLEN).arg(RedisKeys.tasks(target))).toLong(), "one task at the target");
    assertEquals(onTarget.taskId(), readOne(target).task().taskId());
    ChainStatus chain = queue.chain(main.chainId()).await();
    assertEquals(2, chain.runs(), "the other worker's run counted once at the chain's home: " + chain);
    assertEquals(1, chain.pending(), "the task at the target is pending: " + chain);
    assertFalse(chain.settled());
    assertEquals(0, send(Request.cmd(Command.XLEN).arg(RedisKeys.forward(other))).toLong(), "nothing left to relay");
    assertEquals(-1, length(Command.PTTL, RedisKeys.relayed(target)), "what was applied is kept for good, not an hour");
  }

  /**
   * An upgrade from the release that kept applied entries and task ids an hour: entries it applied but had not
   * removed yet (a crash in between) are not applied again by this one, which keeps the last id applied per source.
   */
  @Test
  void entriesTheReleaseBeforeAppliedButLeftAreNotAppliedAgainAfterTheUpgrade() {
    Hops hops = chainOverThreeWorkers();
    String home = hops.home();
    String other = hops.other();
    String target = hops.target();
    Task main = hops.main();
    Task onTarget = hops.onTarget();
    Response forwarded = hops.forwarded();
    ChainStatus before = queue.chain(main.chainId()).await();
    // As the release before marked them once applied: '<worker>/<entry id>' at the chain's home, 'task:<id>' at
    // the target, each to be forgotten an hour on. Its relay applied both; the crash came before it removed them.
    long forgetAt = System.currentTimeMillis() + 3_600_000;
    send(Request.cmd(Command.ZADD).arg(RedisKeys.legacyApplied(home)).arg(forgetAt)
        .arg(other + "/" + forwarded.get(0).get(0).toString()));
    send(Request.cmd(Command.ZADD).arg(RedisKeys.legacyApplied(target)).arg(forgetAt).arg("task:" + onTarget.taskId()));

    assertEquals(2, queue.relayForwards(other).await());

    assertEquals(0, length(Command.XLEN, RedisKeys.tasks(target)), "the task it delivered is not delivered again");
    assertEquals(before.runs(), queue.chain(main.chainId()).await().runs(), "the run it counted is not counted again");
    assertEquals(0, length(Command.XLEN, RedisKeys.forward(other)), "nothing left to relay");
    Task later = hops.second().task().child("step", target, "ctx-" + Ids.newId(), Caller.FLOW, null, null);
    send(Request.cmd(Command.XADD).arg(RedisKeys.forward(other)).arg("*").arg("to").arg(target).arg("id")
        .arg(later.taskId()).arg("task").arg(later.encode()));
    assertEquals(1, queue.relayForwards(other).await());
    assertEquals(later.taskId(), readOne(target).task().taskId(), "an entry written after the upgrade is delivered");
  }

  @Test
  void whateverOrderWorkersRunAndRelayInAChainNeverSettlesWhileATaskIsLeft() {
    for (int seed = 0; seed < 40; seed++) {
      runChain(new Random(seed), seed);
    }
  }

  /** The same walk under one server's rules: each commit writes its tasks and the chain's count at once. */
  @Test
  void onOneServerAChainNeverSettlesWhileATaskIsLeftEither() {
    with(new RedisTaskQueue(redis, 0, RETENTION), () -> {
      for (int seed = 0; seed < 40; seed++) {
        runChain(new Random(seed), seed);
      }
    });
  }

  /**
   * One chain over four workers: at each step a random worker with a task runs one (dispatching 1-3 tasks and timers, none past depth 3
   * to random workers, its own included), or a random worker relays the first 1-2 entries of its forward stream, or
 * moves its due timers.
   * After every step: when the chain reads settled, no task of it may be left to run.
   */
  private void runChain(Random random, int seed) {
    List<String> workers = List.of(worker(), worker(), worker(), worker());
    Task main = Task.main("main", workers.get(0), "ctx-" + Ids.newId(), Caller.CLI, new JsonObject());
    queue.start(main).await();
    int left = 1;
    int runs = 0;
    while (true) {
      List<String> withTasks = new ArrayList<>();
      List<String> withForwards = new ArrayList<>();
      List<String> withTimers = new ArrayList<>();
      for (String worker : workers) {
        if (length(Command.XLEN, RedisKeys.tasks(worker)) > 0) {
          withTasks.add(worker);
        }
        if (length(Command.XLEN, RedisKeys.forward(worker)) > 0) {
          withForwards.add(worker);
        }
        if (length(Command.ZCARD, RedisKeys.timers(worker)) > 0) {
          withTimers.add(worker);
        }
      }
      if (withTasks.isEmpty() && withForwards.isEmpty() && withTimers.isEmpty()) {
        break;
      }
      int choice = random.nextInt(3);
      if (choice == 0 && !withTasks.isEmpty()) {
        Delivery delivery = readOne(withTasks.get(random.nextInt(withTasks.size())));
        List<Task> dispatches = new ArrayList<>();
        List<Task> timers = new ArrayList<>();
        int children = delivery.task().depth() < 3 ? 1 + random.nextInt(3) : 0;
        for (int i = 0; i < children; i++) {
          Task child = delivery.task().child("step", workers.get(random.nextInt(workers.size())), "ctx-" + Ids.newId(),
              Caller.FLOW, null, null);
          (random.nextBoolean() ? dispatches : timers).add(child);
        }
        commit(delivery, dispatches, timers);
        left += children - 1;
        runs++;
      } else if (choice == 1 && !withForwards.isEmpty()) {
        // cut short at a random entry: another worker's runs and relays may come in between
        queue.relayForwards(withForwards.get(random.nextInt(withForwards.size())), 1 + random.nextInt(2)).await();
      } else if (choice == 2 && !withTimers.isEmpty()) {
        queue.moveDueTimers(withTimers.get(random.nextInt(withTimers.size())), 100).await();
      }
      ChainStatus chain = queue.chain(main.chainId()).await();
      if (chain.settled()) {
        assertEquals(0, left, "seed " + seed + ": the chain reads settled with " + left + " task(s) left: " + chain);
      }
    }
    assertEquals(0, left, "seed " + seed + ": every task ran");
    ChainStatus chain = queue.chain(main.chainId()).await();
    assertTrue(chain.settled(), "seed " + seed + ": settled once every task ran: " + chain);
    assertEquals(runs, chain.runs(), "seed " + seed + ": every run counted once at the chain's home");
  }

  /** A chain homed on one worker whose task on a second dispatched to a third: the second's forward entries, unrelayed. */
  private record Hops(String home, String other, String target, Task main, Delivery second, Task onTarget,
      Response forwarded) {}

  private Hops chainOverThreeWorkers() {
    String home = worker();
    String other = worker();
    String target = worker();
    Task main = Task.main("main", home, "ctx-" + Ids.newId(), Caller.CLI, new JsonObject());
    queue.start(main).await();
    Delivery first = readOne(home);
    Task onOther = first.task().child("step", other, "ctx-" + Ids.newId(), Caller.FLOW, null, null);
    commit(first, List.of(onOther), List.of());
    queue.relayForwards(home).await();
    Delivery second = readOne(other);
    assertEquals(onOther.taskId(), second.task().taskId(), "the dispatch reached the other worker");
    Task onTarget = second.task().child("step", target, "ctx-" + Ids.newId(), Caller.FLOW, null, null);
    commit(second, List.of(onTarget), List.of());
    Response forwarded = send(Request.cmd(Command.XRANGE).arg(RedisKeys.forward(other)).arg("-").arg("+"));
    assertEquals(2, forwarded.size(), "the chain's part for its home, then the task for the target");
    return new Hops(home, other, target, main, second, onTarget, forwarded);
  }
}
