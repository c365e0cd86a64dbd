package io.flowpay.queue;

import io.flowpay.config.RedisOptions;
import io.flowpay.config.WorkerOptions;
import io.flowpay.failure.FlowpayFailure;
import io.flowpay.flow.Call;
import io.flowpay.flow.RunError;
import io.flowpay.flow.RunRecord;
import io.flowpay.flow.RunResult;
import io.flowpay.flow.Task;
import io.vertx.core.Future;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tasks, context state, outbox and chains in Redis. Every write that must not be half-done is one
 * Lua script; blocking reads go over a connection the caller dedicates to them.
 */
public final class RedisTaskQueue {

  private static final System.Logger LOG = System.getLogger(RedisTaskQueue.class.getName());

  static final int RUNS_PER_CONTEXT = 1000;

  private final Redis redis;
  private final LuaScript start = LuaScript.load("start");
  private final LuaScript startOnce = LuaScript.load("start_once");
  private final LuaScript commit = LuaScript.load("commit");
  private final LuaScript reply = LuaScript.load("reply");
  private final LuaScript load = LuaScript.load("load");
  private final LuaScript claim = LuaScript.load("claim");
  private final LuaScript timers = LuaScript.load("timers");
  private final LuaScript dead = LuaScript.load("dead");
  private final LuaScript deadRetry = LuaScript.load("dead_retry");
  private final LuaScript deadDrop = LuaScript.load("dead_drop");
  private final LuaScript retryRun = LuaScript.load("retry_run");

  private final int disableAfterFailures;
  private final String chainTtl;
  /** Workers whose group this queue made sure of; a group lost later is made again by its worker (NOGROUP). */
  private final Set<String> groupsMade = ConcurrentHashMap.newKeySet();

  public RedisTaskQueue(Redis redis) {
    this(redis, WorkerOptions.DEFAULT_DISABLE_AFTER_FAILURES, new RedisOptions().chainRetentionSeconds());
  }

  /**
   * @param disableAfterFailures failed runs of a flow in a row that disable it (0: never)
   * @param chainTtlSeconds how long a chain is kept after its last run or due timer
   */
  public RedisTaskQueue(Redis redis, int disableAfterFailures, long chainTtlSeconds) {
    this.redis = redis;
    this.disableAfterFailures = disableAfterFailures;
    this.chainTtl = String.valueOf(chainTtlSeconds);
  }

  /** Creates the worker's stream and consumer group if missing (from the start of the stream). */
  public Future<Void> ensureGroup(String worker) {
    Request create = Request.cmd(Command.XGROUP).arg("CREATE").arg(RedisKeys.tasks(worker))
        .arg(RedisKeys.GROUP).arg("0").arg("MKSTREAM");
    return redis.send(create).<Void>mapEmpty()
        .recover(error -> String.valueOf(error.getMessage()).startsWith("BUSYGROUP")
            ? Future.succeededFuture()
            : Future.failedFuture(error));
  }

  /** Enqueues a main-flow task as the first of a new chain. Returns the stream entry id. */
  public Future<String> start(Task task) {
    List<String> keys = List.of(RedisKeys.chain(task.chainId()), RedisKeys.tasks(task.workerId()));
    List<String> args = List.of(task.encode(), task.flow(), task.contextId(), task.workerId(),
        String.valueOf(System.currentTimeMillis()), chainTtl);
    return ensureGroupOnce(task.workerId()).compose(made -> start.run(redis, keys, args)).map(Response::toString);
  }

  /**
   * Starts a chain as {@link #start} does unless {@code mark} is set, and sets it to {@code markValue}
   * for {@code markTtlSeconds}, all atomically. Returns null when the chain was started, else the
   * mark's value (nothing was started).
   */
  public Future<String> startOnce(Task task, String mark, String markValue, long markTtlSeconds) {
    List<String> keys = List.of(RedisKeys.chain(task.chainId()), RedisKeys.tasks(task.workerId()), mark);
    List<String> args = List.of(task.encode(), task.flow(), task.contextId(), task.workerId(),
        String.valueOf(System.currentTimeMillis()), chainTtl, markValue, String.valueOf(markTtlSeconds));
    return ensureGroupOnce(task.workerId()).compose(made -> startOnce.run(redis, keys, args))
        .map(answer -> answer.get(0).toInteger() == 1 ? null : answer.get(1).toString());
  }

  private Future<Void> ensureGroupOnce(String worker) {
    return groupsMade.contains(worker) ? Future.succeededFuture()
        : ensureGroup(worker).onSuccess(made -> groupsMade.add(worker));
  }

  /**
   * Reads up to {@code count} new tasks for {@code worker}, waiting up to {@code blockMs} for the
   * first. Tasks handed out before and never acknowledged come back through {@link #claim}.
   */
  public Future<List<Delivery>> read(RedisConnection connection, String worker, int count, long blockMs) {
    Request request = Request.cmd(Command.XREADGROUP).arg("GROUP").arg(RedisKeys.GROUP).arg(worker)
        .arg("COUNT").arg(count).arg("BLOCK").arg(blockMs).arg("STREAMS").arg(RedisKeys.tasks(worker)).arg(">");
    return connection.send(request).map(response -> StreamEntries.deliveries(worker, response));
  }

  /**
   * What a run of {@code task} starts from: its context's state and version, and whether its flow
   * is disabled. One round trip.
   */
  public Future<Snapshot> load(Task task) {
    return load.run(redis, List.of(RedisKeys.context(task.contextId()), RedisKeys.flow(task.flow())), List.of())
        .map(response -> {
          Snapshot state = toSnapshot(response.get(0));
          Response disabledAt = response.get(1);
          if (disabledAt == null) {
            return state;
          }
          Response lastError = response.get(2);
          return new Snapshot(state.version(), state.values(),
              disabled(task.flow(), lastError == null ? null : lastError.toString()));
        });
  }

  private static String disabled(String flow, String lastError) {
    return "flow " + flow + " is disabled: it could not run too many times in a row (last error: "
        + (lastError == null || lastError.isEmpty() ? "unknown" : lastError) + "); its tasks wait in the dead-letter"
        + " stream: fix it and run 'flowpay flow enable " + flow + "', which queues them again";
  }

  /**
   * Takes back up to {@code count} tasks of {@code worker} handed out at least {@code minIdleMs}
   * ago and never acknowledged, with their delivery counts (this one included).
   *
   * @param after "-" for the first page, else the last entry id of the previous page
   * @param held entries the caller holds already: skipped, since a claim counts as a delivery
   * @return the deliveries, and the id to pass as {@code after} for the next page ("" when done)
   */
  public Future<Claimed> claim(String worker, long minIdleMs, int count, String after, Collection<String> held) {
    List<String> args = new ArrayList<>(List.of(RedisKeys.GROUP, worker, String.valueOf(minIdleMs), String.valueOf(count),
        "-".equals(after) ? "-" : "(" + after));
    args.addAll(held);
    return claim.run(redis, List.of(RedisKeys.tasks(worker), RedisKeys.runsStarted(worker)), args).map(response -> {
      List<Delivery> deliveries = new ArrayList<>();
      for (Response item : response.get(1)) {
        String raw = item.get(2).toString();
        deliveries.add(new Delivery(worker, item.get(0).toString(), StreamEntries.parse(raw.isEmpty() ? null : raw),
            raw, item.get(1).toLong(), item.get(3).toLong(), item.get(4).toLong()));
      }
      return new Claimed(deliveries, response.get(0).toString());
    });
  }

  /**
   * Records, before it starts, a run of an entry that was delivered more than once: if its process
   * dies during the run, the next claim knows a run of it died ({@code alone}: with no other run
   * of the worker beside it, so that it was this run that died).
   */
  public Future<Void> runStarting(Delivery delivery, boolean alone) {
    Request record = Request.cmd(Command.HINCRBY).arg(RedisKeys.runsStarted(delivery.workerId()))
        .arg(delivery.entryId()).arg(1);
    if (!alone) {
      return redis.send(record).mapEmpty();
    }
    return redis.batch(List.of(record, Request.cmd(Command.HINCRBY).arg(RedisKeys.runsStarted(delivery.workerId()))
        .arg(delivery.entryId() + ":solo").arg(1))).mapEmpty();
  }

  /** Forgets the runs recorded for an entry that is done with (committed or parked). */
  public Future<Void> runsDone(Delivery delivery) {
    return redis.send(Request.cmd(Command.HDEL).arg(RedisKeys.runsStarted(delivery.workerId()))
        .arg(delivery.entryId()).arg(delivery.entryId() + ":solo")).mapEmpty();
  }

  /** Tasks claimed back, and where the next page starts ("" when there is none). */
  public record Claimed(List<Delivery> deliveries, String next) {}

  /** Moves up to {@code count} due {@code flow.after} timers of {@code worker} into its stream. */
  public Future<Integer> moveDueTimers(String worker, int count) {
    return timers.run(redis, List.of(RedisKeys.timers(worker), RedisKeys.tasks(worker)), List.of(String.valueOf(count)))
        .map(Response::toInteger);
  }

  /** Flows disabled after failing too often in a row: name to what {@code flowpay flow list} shows. */
  public Future<Map<String, String>> flowState(String flow) {
    return redis.send(Request.cmd(Command.HGETALL).arg(RedisKeys.flow(flow))).map(RedisTaskQueue::toMap);
  }

  /** Re-enables a disabled flow and clears its failure streak. Returns false when it was not disabled. */
  public Future<Boolean> enableFlow(String flow) {
    return redis.send(Request.cmd(Command.HDEL).arg(RedisKeys.flow(flow)).arg("disabled_at").arg("failures").arg("broken"))
        .map(response -> response.toInteger() > 0);
  }

  public Future<Snapshot> snapshot(String context) {
    return redis.send(Request.cmd(Command.HGETALL).arg(RedisKeys.context(context))).map(RedisTaskQueue::toSnapshot);
  }

  /**
   * Commits a run atomically: on success its effects and the acknowledgement of the task; on
   * failure only the run record and the acknowledgement; nothing when the task's flow is disabled.
   * See {@code lua/commit.lua}.
   */
  public Future<Commit> commit(Delivery delivery, Snapshot snapshot, RunResult result) {
    return commit(prepare(delivery, snapshot, result));
  }

  public Future<Commit> commit(PreparedCommit prepared) {
    return commit.run(redis, prepared.call()).map(response -> toCommit(prepared.delivery().task(), response));
  }

  /**
   * Commits several runs in one round trip (one script call), each on its own: one run's conflict
   * does not stop the others. Fails as a whole only when Redis does (then some runs may have
   * committed: committing them again answers {@link Commit.Outcome#DUPLICATE}).
   */
  public Future<List<Commit>> commit(List<PreparedCommit> batch) {
    if (batch.size() == 1) {
      return commit(batch.get(0)).map(List::of);
    }
    LuaScript.Call call = commit.batch(batch.stream().map(PreparedCommit::call).toList());
    return commit.run(redis, call).map(response -> {
      List<Commit> commits = new ArrayList<>(batch.size());
      for (int i = 0; i < batch.size(); i++) {
        commits.add(toCommit(batch.get(i).delivery().task(), response.get(i)));
      }
      return commits;
    });
  }

  /**
   * Those of a run's calls still in the outbox, i.e. not answered yet: after a commit that turned
   * out to be a duplicate (its first try committed, but the answer was lost), they still need sending.
   */
  public Future<List<Call>> unanswered(String worker, List<Call> calls) {
    if (calls.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    Request request = Request.cmd(Command.HMGET).arg(RedisKeys.outbox(worker));
    calls.forEach(call -> request.arg(call.callId()));
    return redis.send(request).map(values -> {
      List<Call> unanswered = new ArrayList<>();
      for (int i = 0; i < calls.size(); i++) {
        if (values.get(i) != null) {
          unanswered.add(calls.get(i));
        }
      }
      return unanswered;
    });
  }

  /**
   * Encodes a run's commit (run record, plan, the request itself) without sending it: CPU work that
   * the script thread does right after the run, so the event loop only sends bytes.
   */
  public PreparedCommit prepare(Delivery delivery, Snapshot snapshot, RunResult result) {
    Task task = delivery.task();
    RunRecord record = RunRecord.of(task, result);
    List<String> keys = new ArrayList<>(List.of(
        RedisKeys.context(task.contextId()), RedisKeys.tasks(delivery.workerId()),
        RedisKeys.outbox(delivery.workerId()), RedisKeys.runs(task.contextId()),
        RedisKeys.chain(task.chainId()), RedisKeys.chainRuns(task.chainId()), RedisKeys.flow(task.flow())));
    if (result.ok()) {
      result.effects().dispatches().forEach(child -> keys.add(RedisKeys.tasks(child.workerId())));
      result.effects().delayed().forEach(timer -> keys.add(RedisKeys.timers(timer.task().workerId())));
    }
    CommitPlan.Plan plan = CommitPlan.of(result, record);
    List<String> args = new ArrayList<>(7 + plan.texts().size());
    args.addAll(List.of(RedisKeys.GROUP, delivery.entryId(), result.ok() ? snapshot.version() : "", plan.counts(),
        chainTtl, String.valueOf(RUNS_PER_CONTEXT), String.valueOf(disableAfterFailures)));
    args.addAll(plan.texts());
    Snapshot after = result.ok() ? snapshot.after(result.effects().writes(), null) : snapshot;
    return new PreparedCommit(delivery, result, after.values(), commit.prepare(keys, args));
  }

  /**
   * A run's commit, encoded and ready to send.
   *
   * @param valuesAfter the context's state once the commit is done (its version comes with the answer)
   */
  public record PreparedCommit(Delivery delivery, RunResult result, Map<String, String> valuesAfter,
      LuaScript.Call call) {}

  /**
   * Enqueues the task that answers {@code call} on the caller's own stream and removes the call
   * from the outbox. Returns false when the call had been answered already (nothing enqueued).
   */
  public Future<Boolean> reply(Call call, Task answer) {
    return reply(List.of(Answer.of(call, answer)), 0).map(replied -> replied.enqueued().get(0));
  }

  /**
   * As {@link #reply(Call, Task)} for several answers to calls of one worker, in one round trip,
   * which also hands that worker up to {@code read} new tasks of its stream (as {@link #read} would;
   * 0: none). An answer handed out so comes back as the task it was sent as, without decoding.
   */
  public Future<Replied> reply(List<Answer> answers, int read) {
    String worker = answers.get(0).call().origin().workerId();
    List<String> args = new ArrayList<>(3 + 3 * answers.size());
    args.addAll(List.of(RedisKeys.GROUP, worker, String.valueOf(read)));
    for (Answer answer : answers) {
      if (!answer.call().origin().workerId().equals(worker)) {
        return Future.failedFuture(new IllegalArgumentException("answers to calls of workers " + worker + " and "
            + answer.call().origin().workerId() + " in one batch"));
      }
      args.add(answer.call().callId());
      args.add(answer.text());
      args.add(answer.ending());
    }
    List<String> keys = List.of(RedisKeys.outbox(worker), RedisKeys.tasks(worker), RedisKeys.reconciling(worker),
        RedisKeys.reconcileDue(worker), RedisKeys.unresolved(worker));
    return reply.run(redis, keys, args).map(response -> replied(worker, answers, response));
  }

  private static Replied replied(String worker, List<Answer> answers, Response response) {
    List<Boolean> enqueued = new ArrayList<>(answers.size());
    Map<String, Integer> added = new HashMap<>();
    Response ids = response.get(0);
    for (int i = 0; i < answers.size(); i++) {
      Response id = ids.get(i);
      enqueued.add(id != null);
      if (id != null) {
        added.put(id.toString(), i);
      }
    }
    List<Delivery> deliveries = new ArrayList<>();
    for (StreamEntries.Entry entry : StreamEntries.entries(response.get(1))) {
      Integer mine = added.get(entry.id());
      deliveries.add(mine == null ? StreamEntries.delivery(worker, entry)
          : new Delivery(worker, entry.id(), answers.get(mine).task(), answers.get(mine).text(), 1));
    }
    return new Replied(enqueued, deliveries);
  }

  /**
   * What storing answers did.
   *
   * @param enqueued per answer, false when its call had been answered before
   * @param read new tasks handed to the worker in the same round trip
   */
  public record Replied(List<Boolean> enqueued, List<Delivery> read) {}

  /**
   * Stripe's answer to a call, as the task that runs the call's response or error flow, encoded.
   *
   * @param text the task as stored (encoded by whoever built the answer, so that a value that cannot be
   *     encoded fails there, not in the batch it would be stored with)
   * @param ending {@code ""} for a plain answer, {@code "r"} for one that ends the call's reconciliation,
   *     or the JSON record of a call whose outcome stayed unknown (listed for an operator)
   */
  public record Answer(Call call, Task task, String text, String ending) {

    /** A plain answer; fails (throws) when the task cannot be encoded. */
    public static Answer of(Call call, Task task) {
      return new Answer(call, task, task.encode(), "");
    }
  }

  /**
   * Calls committed by {@code worker} and not answered yet, less those being reconciled (their
   * outcome at Stripe is not known; the worker's reconciler tries them on its own schedule).
   */
  public Future<List<Call>> outbox(String worker) {
    return redis.batch(List.of(Request.cmd(Command.HGETALL).arg(RedisKeys.outbox(worker)),
            Request.cmd(Command.HKEYS).arg(RedisKeys.reconciling(worker))))
        .map(answers -> {
          Set<String> reconciling = new java.util.HashSet<>();
          answers.get(1).forEach(id -> reconciling.add(id.toString()));
          List<Call> calls = new ArrayList<>();
          toMap(answers.get(0)).forEach((id, json) -> {
            if (!reconciling.contains(id)) {
              decodeCall(worker, id, json, calls);
            }
          });
          return calls;
        });
  }

  /** An outbox entry this version cannot read is left where it is, for an operator, and said once. */
  private static void decodeCall(String worker, String id, String json, List<Call> calls) {
    try {
      calls.add(Call.fromJson(new JsonObject(json)));
    } catch (RuntimeException | StackOverflowError unreadable) {
      LOG.log(System.Logger.Level.ERROR, "worker {0}: outbox entry {1} cannot be read as a call ({2}); it is not"
          + " re-sent and stays in {3} for an operator", worker, id, unreadable.toString(), RedisKeys.outbox(worker));
    }
  }

  /**
   * Parks an entry that will not run in the worker's dead-letter stream and acknowledges it; a
   * task's chain gets a run record with status {@code dead}. Returns false when the entry had been
   * acknowledged already (nothing parked).
   *
   * @param reason {@code unreadable}, {@code deliveries}, {@code depth} or {@code flow_disabled}
   * @param error the last error, in words, with the fix where there is one
   */
  public Future<Boolean> deadLetter(Delivery delivery, String reason, String error) {
    String worker = delivery.workerId();
    Task task = delivery.task();
    long now = System.currentTimeMillis();
    String record = task == null ? "" : RunRecord.dead(task, new RunError(reason, error, null, 0), now).toJson().encode();
    List<String> keys = List.of(RedisKeys.tasks(worker), RedisKeys.dead(worker),
        RedisKeys.chain(task == null ? "-" : task.chainId()), RedisKeys.chainRuns(task == null ? "-" : task.chainId()),
        RedisKeys.runs(task == null ? "-" : task.contextId()), RedisKeys.stuckChains());
    List<String> args = List.of(RedisKeys.GROUP, delivery.entryId(), String.valueOf(delivery.raw()), reason, error,
        String.valueOf(delivery.deliveries()), String.valueOf(now), record, chainTtl,
        String.valueOf(RUNS_PER_CONTEXT));
    return dead.run(redis, keys, args).map(response -> response.toInteger() == 1);
  }

  /** The worker's dead letters, oldest first, starting at {@code fromId} ("-" for the first). */
  public Future<List<DeadLetter>> deadLetters(String worker, String fromId, int count) {
    Request range = Request.cmd(Command.XRANGE).arg(RedisKeys.dead(worker)).arg(fromId).arg("+").arg("COUNT").arg(count);
    return redis.send(range).map(response -> {
      List<DeadLetter> letters = new ArrayList<>();
      response.forEach(entry -> letters.add(DeadLetter.of(worker, entry)));
      return letters;
    });
  }

  /** One dead letter, or null when there is none with that id. */
  public Future<DeadLetter> deadLetter(String worker, String id) {
    Request range = Request.cmd(Command.XRANGE).arg(RedisKeys.dead(worker)).arg(id).arg(id);
    return redis.send(range).map(response -> response.size() == 0 ? null : DeadLetter.of(worker, response.get(0)));
  }

  /**
   * Puts a dead task back on its worker's stream as a fresh attempt and removes the dead letter;
   * its chain counts it as pending again. Returns false when there is no such dead letter (or it
   * holds no readable task, which cannot be retried; drop it). Leaves an audit entry.
   */
  public Future<Boolean> retryDead(String worker, String id, String by) {
    return deadLetter(worker, id).compose(letter -> {
      if (letter == null || letter.task() == null) {
        return Future.succeededFuture(false);
      }
      Task task = letter.task().retried();
      List<String> keys = List.of(RedisKeys.dead(worker), RedisKeys.tasks(task.workerId()),
          RedisKeys.chain(task.chainId()), RedisKeys.deadAudit(worker), RedisKeys.stuckChains());
      List<String> args = List.of(id, task.encode(), by, String.valueOf(System.currentTimeMillis()),
          chainTtl);
      return ensureGroup(task.workerId())
          .compose(ready -> deadRetry.run(redis, keys, args))
          .map(response -> response.toInteger() == 1);
    });
  }

  /**
   * Runs again, as a fresh attempt, the task of the newest failed (or timed out) run of task
   * {@code taskId} in context {@code contextId}, among the context's kept run records; its chain is
   * pending again. Returns the task, or null when no such failed run is kept. Leaves an audit entry.
   */
  public Future<Task> retryRun(String contextId, String taskId, String by) {
    Request newest = Request.cmd(Command.XREVRANGE).arg(RedisKeys.runs(contextId)).arg("+").arg("-")
        .arg("COUNT").arg(RUNS_PER_CONTEXT);
    return redis.send(newest).compose(records -> {
      JsonObject failed = null;
      for (Response entry : records) {
        JsonObject record = new JsonObject(entry.get(1).get(1).toString());
        if (taskId.equals(record.getString("task_id"))) {
          failed = Set.of("failed", "timed_out").contains(record.getString("status")) ? record : null;
          break;
        }
      }
      if (failed == null) {
        return Future.succeededFuture(null);
      }
      Task task = RunRecord.retryOf(failed);
      List<String> keys = List.of(RedisKeys.chain(task.chainId()), RedisKeys.tasks(task.workerId()),
          RedisKeys.deadAudit(task.workerId()));
      List<String> args = List.of(task.encode(), by, String.valueOf(System.currentTimeMillis()), chainTtl, contextId,
          taskId);
      return ensureGroup(task.workerId()).compose(ready -> retryRun.run(redis, keys, args)).map(entry -> task);
    });
  }

  /**
   * Deletes a dead letter for good; its chain is no longer stuck for it. Returns false when there
   * is none. Leaves an audit entry.
   */
  public Future<Boolean> dropDead(String worker, String id, String by) {
    return deadLetter(worker, id).compose(letter -> {
      String chain = letter == null || letter.task() == null ? "-" : RedisKeys.chain(letter.task().chainId());
      return deadDrop.run(redis, List.of(RedisKeys.dead(worker), RedisKeys.deadAudit(worker), chain,
              RedisKeys.stuckChains()), List.of(id, by, String.valueOf(System.currentTimeMillis())))
          .map(response -> response.toInteger() == 1);
    });
  }

  /**
   * Queues again every task of {@code flow} that {@code worker} parked because the flow was disabled
   * (as {@code dead retry} does, audited as by {@code by}). Returns how many.
   */
  public Future<Integer> retryParkedWhileDisabled(String worker, String flow, String by) {
    return parkedWhileDisabled(worker, flow, "-", new ArrayList<>()).compose(ids -> {
      Future<Integer> retried = Future.succeededFuture(0);
      for (String id : ids) {
        retried = retried.compose(count -> retryDead(worker, id, by).map(done -> done ? count + 1 : count));
      }
      return retried;
    });
  }

  private Future<List<String>> parkedWhileDisabled(String worker, String flow, String from, List<String> ids) {
    return deadLetters(worker, from, 500).compose(page -> {
      page.stream().filter(letter -> "flow_disabled".equals(letter.reason()) && letter.task() != null
          && flow.equals(letter.task().flow())).forEach(letter -> ids.add(letter.id()));
      return page.size() < 500 ? Future.succeededFuture(ids)
          : parkedWhileDisabled(worker, flow, "(" + page.get(page.size() - 1).id(), ids);
    });
  }

  /** The worker's stream as an autoscaler reads it: tasks not done yet, and the oldest one's age. */
  public Future<Backlog> backlog(String worker) {
    return Backlog.read(redis, worker);
  }

  /** How many chains are stuck (a task parked) within the chains' retention. */
  public Future<Long> stuckChains() {
    return redis.send(Request.cmd(Command.ZCARD).arg(RedisKeys.stuckChains())).map(Response::toLong);
  }

  /** What operators did to the worker's dead letters, oldest first. */
  public Future<List<JsonObject>> deadAudit(String worker) {
    return redis.send(Request.cmd(Command.XRANGE).arg(RedisKeys.deadAudit(worker)).arg("-").arg("+"))
        .map(response -> {
          List<JsonObject> entries = new ArrayList<>();
          response.forEach(entry -> {
            JsonObject json = new JsonObject().put("id", entry.get(0).toString());
            toMap(entry.get(1)).forEach(json::put);
            entries.add(json);
          });
          return entries;
        });
  }

  /** The chain's counters and status, or null when there is no such chain. */
  public Future<ChainStatus> chain(String chainId) {
    return redis.batch(List.of(Request.cmd(Command.HGETALL).arg(RedisKeys.chain(chainId)),
            Request.cmd(Command.XLEN).arg(RedisKeys.chainRuns(chainId))))
        .map(answers -> ChainStatus.of(chainId, toMap(answers.get(0)), answers.get(1).toLong()));
  }

  /** Run records of a chain after {@code fromId}, waiting up to {@code blockMs} for the first. */
  public Future<List<StreamEntries.Entry>> chainRuns(RedisConnection connection, String chainId, String fromId,
      long blockMs) {
    Request request = Request.cmd(Command.XREAD).arg("COUNT").arg(500).arg("BLOCK").arg(blockMs)
        .arg("STREAMS").arg(RedisKeys.chainRuns(chainId)).arg(fromId);
    return connection.send(request).map(StreamEntries::entries);
  }

  /** The context's state as JSON values, without internal keys. */
  public Future<JsonObject> contextState(String context) {
    return snapshot(context).map(snapshot -> {
      JsonObject state = new JsonObject();
      snapshot.values().forEach((key, json) -> state.put(key, Json.decodeValue(json)));
      return state;
    });
  }

  private static Snapshot toSnapshot(Response response) {
    Map<String, String> values = toMap(response);
    String version = values.remove("_version");
    return new Snapshot(version == null ? "0" : version, values);
  }

  static Map<String, String> toMap(Response response) {
    Map<String, String> map = new HashMap<>();
    if (response != null) {
      for (int i = 0; i + 1 < response.size(); i += 2) {
        map.put(response.get(i).toString(), response.get(i + 1).toString());
      }
    }
    return map;
  }

  private static Commit toCommit(Task task, Response response) {
    String outcome = response.get(0).toString();
    String detail = response.get(1).toString();
    return switch (outcome) {
      case "ok" -> new Commit(Commit.Outcome.COMMITTED, detail, null);
      case "conflict" -> new Commit(Commit.Outcome.CONFLICT, detail, null);
      case "duplicate" -> new Commit(Commit.Outcome.DUPLICATE, null, null);
      case "disabled" -> new Commit(Commit.Outcome.FLOW_DISABLED, null, disabled(task.flow(), detail));
      default -> throw new FlowpayFailure(FlowpayFailure.Kind.REDIS_ERROR, "commit.lua answered '" + outcome + "'");
    };
  }
}
