package io.flowpay.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.flow.Caller;
import io.flowpay.flow.Effects;
import io.flowpay.flow.Ids;
import io.flowpay.flow.RunError;
import io.flowpay.flow.RunResult;
import io.flowpay.flow.RunStatus;
import io.flowpay.flow.Task;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Operators' repairs ({@code dead retry}, {@code dead drop}, {@code runs --retry}) of a task whose chain has its home
 * on another worker, on a real Redis in standalone mode (the same key layout as a Cluster: each script touches the
 * task's worker's keys only; {@code ClusterOperatorsIT} proves there is no cross-slot error). The chain's part of the
 * repair and the task that runs again go through the worker's forward stream, in that order: the chain ends right,
 * the task runs once, a relay repeated after a crash changes nothing, and whatever order workers run and relay in,
 * the chain never reads settled while a task of it is queued or parked.
 */
class OperatorForwardIT extends QueueFixture {

  private static final long RETENTION = 3_600;

  @Override
  RedisTaskQueue queue(Redis redis) {
    return new RedisTaskQueue(redis, 0, RETENTION);
  }

  @Test
  void deadRetryOfAChainHomedElsewhereCountsItAtTheHomeBeforeTheTaskRunsAndRunsItOnce() {
    String home = worker();
    String other = worker();
    Task main = startOnHomeDispatchingTo(home, other);
    Delivery parked = readOne(other);
    assertTrue(queue.deadLetter(parked, "deliveries", "its runs died").await());
    queue.relayForwards(other).await();
    assertEquals("stuck", queue.chain(main.chainId()).await().status());
    String letter = queue.deadLetters(other, "-", 10).await().get(0).id();

    assertTrue(queue.deadLetterRepairs().retryDead(other, letter, "ops-ada").await());

    assertEquals(0, length(Command.XLEN, RedisKeys.tasks(other)), "the task waits behind its chain's part");
    assertEquals(0, length(Command.XLEN, RedisKeys.dead(other)), "the dead letter is gone");
    assertEquals("stuck", queue.chain(main.chainId()).await().status(), "its home has not heard yet");
    relayTwice(other);
    ChainStatus chain = queue.chain(main.chainId()).await();
    assertEquals("running", chain.status(), "pending again at its home: " + chain);
    assertEquals(1, chain.pending(), "counted once though relayed twice: " + chain);
    assertEquals(0, chain.dead());
    assertEquals(0, length(Command.ZCARD, RedisKeys.stuckChains(home)), "no longer in the home's stuck index");
    Delivery again = readOne(other);
    assertEquals(parked.task().taskId(), again.task().taskId(), "the same task, delivered once");
    assertEquals(1, again.task().attempt(), "a fresh attempt");
    assertEquals(1, length(Command.XLEN, RedisKeys.tasks(other)), "delivered once though relayed twice");

    commit(again, List.of());
    queue.relayForwards(other).await();
    chain = queue.chain(main.chainId()).await();
    assertTrue(chain.settled(), "settled once the retried task ran: " + chain);
    assertEquals(3, chain.runs(), "main, the parked task, its run: " + chain);
    assertEquals(List.of("retry ops-ada"), audit(other));
  }

  @Test
  void deadDropOfAChainHomedElsewhereSettlesItAtItsHomeCountedDroppedOnce() {
    String home = worker();
    String other = worker();
    Task main = startOnHomeDispatchingTo(home, other);
    assertTrue(queue.deadLetter(readOne(other), "depth", "too deep").await());
    queue.relayForwards(other).await();
    String letter = queue.deadLetters(other, "-", 10).await().get(0).id();

    assertTrue(queue.deadLetterRepairs().dropDead(other, letter, "ops-bob").await());
    relayTwice(other);

    ChainStatus chain = queue.chain(main.chainId()).await();
    assertTrue(chain.settled(), "settled: the operator gave its only pending task up: " + chain);
    assertEquals(0, chain.dead());
    assertEquals("1", field(main, "dropped"), "dropped once though relayed twice");
    assertEquals(0, length(Command.ZCARD, RedisKeys.stuckChains(home)));
    assertEquals(0, length(Command.XLEN, RedisKeys.tasks(other)), "nothing runs");
    assertEquals(List.of("drop ops-bob"), audit(other));
    assertFalse(queue.dropDead(other, letter, "ops-bob").await(), "dropped already");
  }

  @Test
  void runsRetryOfAChainHomedElsewhereRunsItAgainOnceTheHomeCountsIt() {
    String home = worker();
    String other = worker();
    Task main = startOnHomeDispatchingTo(home, other);
    Delivery failing = readOne(other);
    fail(failing);
    queue.relayForwards(other).await();
    ChainStatus before = queue.chain(main.chainId()).await();
    assertTrue(before.settled(), "settled with a failed run: " + before);

    Task task = queue.deadLetterRepairs().retryRun(failing.task().contextId(), failing.task().taskId(), "ops-ada")
        .await();

    assertNotNull(task, "the failed run was found");
    assertEquals(0, length(Command.XLEN, RedisKeys.tasks(other)), "the task waits behind its chain's part");
    relayTwice(other);
    ChainStatus chain = queue.chain(main.chainId()).await();
    assertEquals("running", chain.status(), "running again: " + chain);
    assertEquals(1, chain.pending(), "counted once though relayed twice: " + chain);
    Delivery again = readOne(other);
    assertEquals(failing.task().taskId(), again.task().taskId());
    assertEquals(1, length(Command.XLEN, RedisKeys.tasks(other)), "delivered once though relayed twice");
    commit(again, List.of());
    queue.relayForwards(other).await();
    chain = queue.chain(main.chainId()).await();
    assertTrue(chain.settled(), "settled once the task ran again: " + chain);
    assertEquals(3, chain.runs(), "main, the failed run, its retry: " + chain);
    assertEquals(List.of("retry_run ops-ada"), audit(other));
  }

  /** Through the queue's own methods (CLI, API, console) the repair's forward entries are relayed at once. */
  @Test
  void aRepairThroughTheQueueIsRelayedAtOnce() {
    String home = worker();
    String other = worker();
    Task main = startOnHomeDispatchingTo(home, other);
    assertTrue(queue.deadLetter(readOne(other), "deliveries", "its runs died").await());
    queue.relayForwards(other).await();

    assertTrue(queue.retryDead(other, queue.deadLetters(other, "-", 10).await().get(0).id(), "ops-ada").await());

    assertEquals(0, length(Command.XLEN, RedisKeys.forward(other)), "nothing left to relay");
    assertEquals("running", queue.chain(main.chainId()).await().status());
    assertEquals(1, length(Command.XLEN, RedisKeys.tasks(other)), "the task is queued");
  }

  @Test
  void whateverOrderWorkersRunRelayAndRepairInAChainNeverSettlesWhileATaskIsQueuedOrParked() {
    for (int seed = 0; seed < 40; seed++) {
      new RandomChain(new Random(seed), seed).run();
    }
  }

  /**
   * One chain over three workers, its home the first. At each step, at random: a worker with a task runs one (ok,
   * dispatching 0-2 tasks to random workers, none past depth 3; or failed; or parked as a dead letter), or a worker
   * relays the first 1-2 entries of its forward stream (sometimes with a second relay of 1-3 at the same time), or
   * an operator retries or drops a dead letter or runs a
   * failed run again (through the repairs that leave relaying to the worker's relay). Runs fail or park only while
   * the chain's trouble budget lasts, so it ends. After every step: when the chain reads settled, no task of it is
   * queued on any worker and none is parked.
   */
  private final class RandomChain {

    private final Random random;
    private final int seed;
    private final List<String> workers = List.of(worker(), worker(), worker());
    private final List<Task> failed = new ArrayList<>();
    private int trouble = 6;
    private int runs;
    private int dropped;

    RandomChain(Random random, int seed) {
      this.random = random;
      this.seed = seed;
    }

    void run() {
      Task main = Task.main("main", workers.get(0), "ctx-" + Ids.newId(), Caller.CLI, new JsonObject());
      queue.start(main).await();
      while (step()) {
        ChainStatus chain = queue.chain(main.chainId()).await();
        if (chain.settled()) {
          assertEquals(Map.of("queued", 0L, "parked", 0L), left(), "seed " + seed + ": settled with: " + chain);
        }
      }
      ChainStatus chain = queue.chain(main.chainId()).await();
      assertTrue(chain.settled(), "seed " + seed + ": settled once nothing is left: " + chain);
      assertEquals(runs, chain.runs(), "seed " + seed + ": every run and parked task counted once at the home");
      assertEquals(dropped, Integer.parseInt(field(main, "dropped") == null ? "0" : field(main, "dropped")),
          "seed " + seed + ": every drop counted once");
    }

    /** One random step; false when nothing is left to do. */
    private boolean step() {
      List<String> withTasks = having(Command.XLEN, RedisKeys::tasks);
      List<String> withForwards = having(Command.XLEN, RedisKeys::forward);
      List<String> withDead = having(Command.XLEN, RedisKeys::dead);
      if (withTasks.isEmpty() && withForwards.isEmpty() && withDead.isEmpty() && failed.isEmpty()) {
        return false;
      }
      int choice = random.nextInt(3);
      if (choice == 0 && !withTasks.isEmpty()) {
        runOne(readOne(pick(withTasks)));
      } else if (choice == 1 && !withForwards.isEmpty()) {
        String worker = pick(withForwards);
        // sometimes two relays at once (a worker's and an operator's command), their steps interleaved at Redis
        Future.all(queue.relayForwards(worker, 1 + random.nextInt(2)),
            random.nextBoolean() ? queue.relayForwards(worker, 1 + random.nextInt(3)) : Future.succeededFuture()).await();
      } else if (choice == 2 && !withDead.isEmpty() && random.nextBoolean()) {
        String worker = pick(withDead);
        String letter = queue.deadLetters(worker, "-", 1).await().get(0).id();
        if (random.nextBoolean()) {
          assertTrue(queue.deadLetterRepairs().retryDead(worker, letter, "ops").await());
        } else {
          assertTrue(queue.deadLetterRepairs().dropDead(worker, letter, "ops").await());
          dropped++;
        }
      } else if (choice == 2 && !failed.isEmpty()) {
        Task task = failed.remove(random.nextInt(failed.size()));
        assertNotNull(queue.deadLetterRepairs().retryRun(task.contextId(), task.taskId(), "ops").await());
      }
      return true;
    }

    private void runOne(Delivery delivery) {
      runs++;
      int outcome = trouble > 0 ? random.nextInt(5) : 0;
      if (outcome == 3) {
        trouble--;
        assertTrue(queue.deadLetter(delivery, "deliveries", "its runs died").await());
      } else if (outcome == 4) {
        trouble--;
        fail(delivery);
        failed.add(delivery.task());
      } else {
        List<Task> children = new ArrayList<>();
        int count = delivery.task().depth() < 3 ? random.nextInt(3) : 0;
        for (int i = 0; i < count; i++) {
          children.add(delivery.task().child("step", pick(workers), "ctx-" + Ids.newId(), Caller.FLOW, null, null));
        }
        commit(delivery, children);
      }
    }

    /** Tasks of the chain queued on its workers (read or not) and parked in their dead-letter streams. */
    private Map<String, Long> left() {
      long queued = 0;
      long parked = 0;
      for (String worker : workers) {
        queued += length(Command.XLEN, RedisKeys.tasks(worker));
        parked += length(Command.XLEN, RedisKeys.dead(worker));
      }
      return Map.of("queued", queued, "parked", parked);
    }

    private List<String> having(Command command, java.util.function.Function<String, String> key) {
      return workers.stream().filter(worker -> length(command, key.apply(worker)) > 0).toList();
    }

    private String pick(List<String> from) {
      return from.get(random.nextInt(from.size()));
    }
  }

  /** A main task on {@code home} whose run dispatches one task to {@code other}, relayed there. */
  private Task startOnHomeDispatchingTo(String home, String other) {
    Task main = Task.main("main", home, "ctx-" + Ids.newId(), Caller.CLI, new JsonObject());
    queue.start(main).await();
    Delivery first = readOne(home);
    commit(first, List.of(first.task().child("step", other, "ctx-" + Ids.newId(), Caller.FLOW, null, null)));
    queue.relayForwards(home).await();
    return main;
  }

  /**
   * Relays {@code worker}'s forward stream, then as a crash between applying and removing would: the same entries
   * (same ids) again.
   */
  private void relayTwice(String worker) {
    Response forwarded = send(Request.cmd(Command.XRANGE).arg(RedisKeys.forward(worker)).arg("-").arg("+"));
    assertTrue(forwarded.size() > 0, "something to relay");
    assertEquals(forwarded.size(), queue.relayForwards(worker).await());
    send(Request.cmd(Command.DEL).arg(RedisKeys.forward(worker)));  // a stream keeps its last id past XDEL
    for (Response entry : forwarded) {
      Request again = Request.cmd(Command.XADD).arg(RedisKeys.forward(worker)).arg(entry.get(0).toString());
      entry.get(1).forEach(field -> again.arg(field.toString()));
      send(again);
    }
    assertEquals(forwarded.size(), queue.relayForwards(worker).await());
  }

  private void fail(Delivery delivery) {
    RunResult failed = new RunResult(RunStatus.FAILED, new Effects(),
        new RunError("script_error", "Error: boom", "flows/step.js", 1), System.currentTimeMillis(), 10);
    Commit commit = queue.commit(delivery, queue.load(delivery.task()).await(), failed).await();
    assertEquals(Commit.Outcome.COMMITTED, commit.outcome());
  }

  private List<String> audit(String worker) {
    return queue.deadAudit(worker).await().stream()
        .map(entry -> entry.getString("action") + " " + entry.getString("by")).toList();
  }

  private String field(Task main, String name) {
    Response value = send(Request.cmd(Command.HGET).arg(RedisKeys.chain(main.chainId())).arg(name));
    return value == null ? null : value.toString();
  }
}
