package io.flowpay.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The relay of a worker's forward stream by the process that commits to it ({@link ForwardTail}), on a real Redis:
 * the entries a commit answered with are applied without reading the stream and removed a page at a time; an entry
 * written by someone else before them (an operator's repair in another process, a parked task, what a dead holder
 * left) is applied first, never skipped; and whatever order commits, relays cut short, crashes (a new holder with
 * nothing in memory) and other processes' repairs and relays come in, every task is delivered exactly once and the
 * chain counts every run once and never reads settled while a task of it is still to come.
 */
class ForwardTailIT extends QueueFixture {

  private static final long RETENTION = 3_600;

  /** Requests the queue under test sent, by command name (EVALSHA: a script call). */
  private final Map<String, AtomicLong> sent = new ConcurrentHashMap<>();

  @Override
  RedisTaskQueue queue(Redis redis) {
    // Redis Cluster's rules on one server: what a commit starts on other workers goes through the forward stream
    return new RedisTaskQueue(new Counted(redis), 0, RETENTION, true);
  }

  @Test
  void aCommitsOwnEntriesAreRelayedWithoutReadingTheStreamAndRemovedAPageAtATime() {
    String worker = worker();
    String target = worker();
    ForwardTail tail = queue.forwardTail(worker);
    int hops = 2 * ForwardRelay.PAGE + 5;
    List<String> dispatched = new ArrayList<>();
    Map<String, Long> relaying = new HashMap<>();
    for (int i = 0; i < hops; i++) {
      Task main = Task.main("main", worker, "ctx-" + Ids.newId(), Caller.CLI, new JsonObject());
      queue.start(main).await();
      Delivery delivery = readOne(worker);
      Task child = delivery.task().child("step", target, "ctx-" + Ids.newId(), Caller.FLOW, null, null);
      dispatched.add(child.taskId());
      tail.written(commit(delivery, ok(List.of(child), List.of())).forwarded());
      sent.clear();
      assertEquals(1, tail.relay().await(), "hop " + i + ": its one entry relayed");
      if (i > 0) {  // the first also makes sure of the target's consumer group (and may load the script)
        sent.forEach((command, count) -> relaying.merge(command, count.get(), Long::sum));
      }
    }

    assertEquals(Map.of("EVALSHA", hops - 1L, "XDEL", 2L), relaying,
        "one script call per relay at the target, no XRANGE, one XDEL per page");
    assertEquals(5, length(Command.XLEN, RedisKeys.forward(worker)), "the last entries wait for the next page");
    List<String> delivered = new ArrayList<>();
    for (int i = 0; i < hops; i++) {
      delivered.add(readOne(target).task().taskId());
    }
    assertEquals(dispatched, delivered, "each dispatch delivered once, in order");
    assertEquals(List.of(), queue.read(reader, target, 10, 1).await(), "nothing delivered twice");
    tail.flush().await();
    assertEquals(0, length(Command.XLEN, RedisKeys.forward(worker)), "removed once flushed");
  }

  /**
   * An operator's repair from another process writes the chain's part and the retried task to the worker's stream;
   * the worker then commits a run of the same chain. Its relay must apply the repair's entries first: applying its
   * own (later) entries first would move the chain home's mark past the repair's, which would then never count.
   */
  @Test
  void anEntryAnotherProcessWroteBeforeACommitsIsAppliedFirstNotSkipped() {
    String home = worker();
    String other = worker();
    String target = worker();
    RedisTaskQueue operators = new RedisTaskQueue(redis, 0, RETENTION);
    Task main = Task.main("main", home, "ctx-" + Ids.newId(), Caller.CLI, new JsonObject());
    queue.start(main).await();
    Delivery first = readOne(home);
    Task parked = first.task().child("step", other, "ctx-" + Ids.newId(), Caller.FLOW, null, null);
    Task running = first.task().child("step", other, "ctx-" + Ids.newId(), Caller.FLOW, null, null);
    commit(first, ok(List.of(parked, running), List.of()));
    queue.relayForwards(home).await();
    assertTrue(queue.deadLetter(readOne(other), "deliveries", "its runs died").await());
    ForwardTail tail = queue.forwardTail(other);
    tail.scan();
    tail.relay().await();
    assertEquals(1, queue.chain(main.chainId()).await().dead());
    String letter = operators.deadLetters(other, "-", 10).await().get(0).id();
    assertTrue(operators.deadLetterRepairs().retryDead(other, letter, "ops-ada").await(), "retried, not relayed yet");

    Delivery second = readOne(other);
    assertEquals(running.taskId(), second.task().taskId());
    Task onTarget = second.task().child("step", target, "ctx-" + Ids.newId(), Caller.FLOW, null, null);
    Commit commit = commit(second, ok(List.of(onTarget), List.of()));
    assertTrue(!commit.forwarded().before().isEmpty(), "the repair's entries came before the commit's");
    tail.written(commit.forwarded());
    tail.relay().await();

    ChainStatus chain = queue.chain(main.chainId()).await();
    assertEquals(0, chain.dead(), "the retry counted at the home: " + chain);
    assertEquals(2, chain.pending(), "the retried task and the dispatch: " + chain);
    assertEquals("running", chain.status());
    assertEquals(parked.taskId(), readOne(other).task().taskId(), "the retried task delivered");
    assertEquals(onTarget.taskId(), readOne(target).task().taskId(), "the dispatch delivered");
    assertEquals(List.of(), queue.read(reader, other, 10, 1).await(), "the retried task delivered once");
    assertEquals(List.of(), queue.read(reader, target, 10, 1).await(), "the dispatch delivered once");
  }

  @Test
  void whateverCommitsRelaysCrashesAndOtherProcessesDoEveryTaskIsDeliveredOnceAndTheChainCountsRight() {
    for (int seed = 0; seed < 40; seed++) {
      new RandomChain(new Random(seed), seed).run();
    }
  }

  /**
   * The same walk under one server's rules (standalone, Sentinel): commits write what they start on other workers
   * and the chain's count at its home themselves, while parked tasks and operators' repairs still go through the
   * forward stream, relayed late or twice. The two paths mixed deliver every task once and count every run once.
   */
  @Test
  void onOneServerCommitsWriteAtOtherWorkersThemselvesAndMixedWithRelayedRepairsTheChainStillCountsRight() {
    with(new RedisTaskQueue(new Counted(redis), 0, RETENTION), () -> {
      for (int seed = 0; seed < 40; seed++) {
        new RandomChain(new Random(seed), seed).run();
      }
    });
  }

  /**
   * One chain over three workers, its home the first, committed by one process (the fixture's queue, with a
   * {@link ForwardTail} per worker as its pumps have) while an operator's process (another queue) repairs and relays.
   * At each step, at random: a worker with a task runs one (ok, dispatching 0-2 tasks or timers due now to random
   * workers, none past depth 3; or failed; or parked), its tail told of the commit's entries, or not (the process
   * died before it heard); a tail relays, cut short after 1-3 entries or not, or reads the whole stream (its periodic
   * relay); a process crashes (its tail is replaced by one that knows nothing, which may first read the stream as a
   * pump's start does, or not); the operator's process relays (sometimes at the same time as a tail), retries or
   * drops a parked task or runs a failed one again; a worker moves its due timers. After every step: when the chain
   * reads settled, no task of it is queued or parked, and none is still to be delivered but the task of a rerun
   * whose part its home has not applied yet (documented: until then the chain reads as before the rerun). At the end every task was delivered exactly
   * once (each read was expected, and every one expected was read), every run counted once, and the chain lists each
   * run's and parked task's record once, with its status.
   */
  private final class RandomChain {

    private final Random random;
    private final int seed;
    private final List<String> workers = List.of(worker(), worker(), worker());
    private final RedisTaskQueue operators = new RedisTaskQueue(redis, 0, RETENTION);
    private final Map<String, ForwardTail> tails = new HashMap<>();
    /** Deliveries each task id is still to get: +1 per dispatch, timer or repair that runs it, -1 per read. */
    private final Map<String, Integer> expected = new HashMap<>();
    private final List<Task> failed = new ArrayList<>();
    private int trouble = 6;
    private int dropped;
    /** Each run and parked task of the chain: its task id and the status its record must show. */
    private final List<String> records = new ArrayList<>();
    private Task main;

    RandomChain(Random random, int seed) {
      this.random = random;
      this.seed = seed;
      workers.forEach(worker -> tails.put(worker, queue.forwardTail(worker)));
    }

    void run() {
      main = Task.main("main", workers.get(0), "ctx-" + Ids.newId(), Caller.CLI, new JsonObject());
      queue.start(main).await();
      expect(main);
      int steps = 0;
      while (step()) {
        assertTrue(++steps < 5_000, "seed " + seed + ": the chain ends");
        ChainStatus chain = queue.chain(main.chainId()).await();
        if (chain.settled()) {
          // a failed run run again reads settled until its home counts it (the rerun's part, before its task)
          int rerun = rerunWaiting() ? (int) left().get("to deliver") : 0;
          assertEquals(Map.of("to deliver", rerun, "queued", 0L, "parked", 0L), left(),
              "seed " + seed + ": settled with: " + chain);
        }
      }
      ChainStatus chain = queue.chain(main.chainId()).await();
      assertEquals(Map.of("to deliver", 0, "queued", 0L, "parked", 0L), left(), "seed " + seed + ": every task delivered");
      assertTrue(chain.settled(), "seed " + seed + ": settled once nothing is left: " + chain);
      assertEquals(0, chain.pending(), "seed " + seed + ": " + chain);
      assertEquals(records.size(), chain.runs(), "seed " + seed + ": every run and parked task counted once at the home");
      Response drops = send(Request.cmd(Command.HGET).arg(RedisKeys.chain(main.chainId())).arg("dropped"));
      assertEquals(dropped, drops == null ? 0 : drops.toInteger(), "seed " + seed + ": every drop counted once");
      List<String> read = new ArrayList<>();
      queue.chains().runs(main.chainId(), 10_000).await().forEach(record -> read.add(
          ((JsonObject) record).getString("task_id") + " " + ((JsonObject) record).getString("status")));
      List<String> written = new ArrayList<>(records);
      Collections.sort(read);
      Collections.sort(written);
      assertEquals(written, read, "seed " + seed + ": the chain lists each of its runs' records once");
    }

    /** One random step; false when nothing is left to do (and every forward stream is empty). */
    private boolean step() {
      List<String> withTasks = having(worker -> length(Command.XLEN, RedisKeys.tasks(worker)) > 0);
      List<String> withTimers = having(worker -> length(Command.ZCARD, RedisKeys.timers(worker)) > 0);
      List<String> withForwards = having(worker -> length(Command.XLEN, RedisKeys.forward(worker)) > 0);
      List<String> withDead = having(worker -> length(Command.XLEN, RedisKeys.dead(worker)) > 0);
      if (withTasks.isEmpty() && withTimers.isEmpty() && withForwards.isEmpty() && withDead.isEmpty()
          && failed.isEmpty()) {
        return false;
      }
      int choice = random.nextInt(6);
      if (choice == 0 && !withTasks.isEmpty()) {
        runOne(pick(withTasks));
      } else if (choice == 1 && !withForwards.isEmpty()) {
        relay(pick(withForwards));
      } else if (choice == 2) {
        String worker = pick(workers);
        tails.put(worker, queue.forwardTail(worker));  // a crash: the next holder knows nothing
        if (random.nextBoolean()) {
          tails.get(worker).scan();
        }
      } else if (choice == 3) {
        repair();
      } else if (choice == 4 && !withTimers.isEmpty()) {
        queue.moveDueTimers(pick(withTimers), 100).await();
      } else if (choice == 5 && !withForwards.isEmpty()) {
        String worker = pick(withForwards);
        tails.get(worker).scan();
        tails.get(worker).relay().await();
        tails.get(worker).flush().await();
      }
      return true;
    }

    private void runOne(String worker) {
      Delivery delivery = readOne(worker);
      Integer left = expected.merge(delivery.task().taskId(), -1, Integer::sum);
      assertTrue(left >= 0, "seed " + seed + ": task " + delivery.task().taskId() + " delivered more often than sent");
      int outcome = trouble > 0 ? random.nextInt(5) : 0;
      if (outcome == 3) {
        trouble--;
        assertTrue(queue.deadLetter(delivery, "deliveries", "its runs died").await());
        records.add(delivery.task().taskId() + " dead");
        return;
      }
      Commit commit;
      if (outcome == 4) {
        trouble--;
        commit = commit(delivery, new RunResult(RunStatus.FAILED, new Effects(),
            new RunError("script_error", "Error: boom", "flows/step.js", 1), System.currentTimeMillis(), 10));
        failed.add(delivery.task());
        records.add(delivery.task().taskId() + " failed");
      } else {
        List<Task> dispatches = new ArrayList<>();
        List<Task> timers = new ArrayList<>();
        int count = delivery.task().depth() < 3 ? random.nextInt(3) : 0;
        for (int i = 0; i < count; i++) {
          Task child = delivery.task().child("step", pick(workers), "ctx-" + Ids.newId(), Caller.FLOW, null, null);
          (random.nextInt(4) == 0 ? timers : dispatches).add(child);
          expect(child);
        }
        commit = commit(delivery, ok(dispatches, timers));
        records.add(delivery.task().taskId() + " ok");
      }
      if (random.nextInt(5) > 0) {
        tails.get(worker).written(commit.forwarded());  // else the process died before its pump heard
      }
    }

    private void relay(String worker) {
      ForwardTail tail = tails.get(worker);
      Future<Integer> own = random.nextBoolean() ? tail.relay() : tail.relay(1 + random.nextInt(3));
      // sometimes the operator's process relays at the same time, their steps interleaved at Redis
      Future<Integer> theirs = random.nextInt(3) == 0 ? operators.relayForwards(worker) : Future.succeededFuture(0);
      Future.all(own, theirs).await();
    }

    /** An operator's repair in the other process, not relayed (or relayed there at once, as its commands do). */
    private void repair() {
      List<String> withDead = having(worker -> length(Command.XLEN, RedisKeys.dead(worker)) > 0);
      boolean relayNow = random.nextBoolean();
      if (!withDead.isEmpty() && random.nextBoolean()) {
        String worker = pick(withDead);
        DeadLetter letter = operators.deadLetters(worker, "-", 1).await().get(0);
        if (random.nextBoolean()) {
          assertTrue(operators.deadLetterRepairs().retryDead(worker, letter.id(), "ops").await());
          expect(letter.task());
        } else {
          assertTrue(operators.deadLetterRepairs().dropDead(worker, letter.id(), "ops").await());
          dropped++;
        }
        if (relayNow) {
          operators.relayForwards(worker).await();
        }
      } else if (!failed.isEmpty()) {
        Task task = failed.remove(random.nextInt(failed.size()));
        assertNotNull(operators.deadLetterRepairs().retryRun(task.contextId(), task.taskId(), "ops").await());
        expect(task);
        if (relayNow) {
          operators.relayForwards(task.workerId()).await();
        }
      }
    }

    /** Whether a forward stream holds an operator's rerun of the chain that its home has not applied yet. */
    private boolean rerunWaiting() {
      for (String worker : workers) {
        Response mark = send(Request.cmd(Command.HGET).arg(RedisKeys.relayed(workers.get(0))).arg(worker));
        for (Response item : send(Request.cmd(Command.XRANGE).arg(RedisKeys.forward(worker)).arg("-").arg("+"))) {
          ForwardRelay.Entry entry = ForwardRelay.Entry.of(item);
          if ("rerun".equals(entry.fields().get("op")) && main.chainId().equals(entry.fields().get("chain"))
              && (mark == null || ForwardRelay.after(entry.id(), mark.toString()))) {
            return true;
          }
        }
      }
      return false;
    }

    private void expect(Task task) {
      expected.merge(task.taskId(), 1, Integer::sum);
    }

    /** Deliveries still to come, and tasks of the chain queued (streams, timers) or parked on its workers. */
    private Map<String, Object> left() {
      long queued = 0;
      long parked = 0;
      for (String worker : workers) {
        queued += length(Command.XLEN, RedisKeys.tasks(worker)) + length(Command.ZCARD, RedisKeys.timers(worker));
        parked += length(Command.XLEN, RedisKeys.dead(worker));
      }
      int toDeliver = expected.values().stream().mapToInt(Integer::intValue).sum();
      return Map.of("to deliver", toDeliver, "queued", queued, "parked", parked);
    }

    private List<String> having(java.util.function.Predicate<String> test) {
      return workers.stream().filter(test).toList();
    }

    private String pick(List<String> from) {
      return from.get(random.nextInt(from.size()));
    }
  }

  private Commit commit(Delivery delivery, RunResult result) {
    Commit commit = queue.commit(delivery, queue.load(delivery.task()).await(), result).await();
    assertEquals(Commit.Outcome.COMMITTED, commit.outcome());
    return commit;
  }

  private static RunResult ok(List<Task> dispatches, List<Task> timers) {
    Effects effects = new Effects();
    dispatches.forEach(effects::dispatch);
    timers.forEach(timer -> effects.after(0, timer));
    return ok(effects);
  }

  /** The test's Redis, counting the requests the queue under test sends by command. */
  private final class Counted implements Redis {

    private final Redis redis;

    Counted(Redis redis) {
      this.redis = redis;
    }

    @Override
    public Future<RedisConnection> connect() {
      return redis.connect();
    }

    @Override
    public Future<Void> close() {
      return redis.close();
    }

    @Override
    public Future<Response> send(Request request) {
      count(request);
      return redis.send(request);
    }

    @Override
    public Future<List<Response>> batch(List<Request> requests) {
      requests.forEach(this::count);
      return redis.batch(requests);
    }

    private void count(Request request) {
      sent.computeIfAbsent(request.command().toString().toUpperCase(java.util.Locale.ROOT), name -> new AtomicLong())
          .incrementAndGet();
    }
  }
}
