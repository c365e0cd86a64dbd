package io.flowpay.queue;

import io.flowpay.failure.FlowpayFailure;
import io.flowpay.flow.RunRecord;
import io.flowpay.flow.RunResult;
import io.flowpay.flow.Task;
import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * Twin of {@code lua/commit.lua}: commits runs, each all or nothing (see the script). Writes its
 * KEYS and ARGV here and only here: {@link #prepare} one run, {@link #batch} several in one call.
 */
record CommitScript(QueueScope scope) {

  private static final LuaScript SCRIPT = LuaScript.load("commit");

  /**
   * One run's ARGV, in commit.lua's order.
   *
   * @param expectedVersion the context version the run started from ('' = do not check: a failed run
   *     writes no state)
   * @param runRecord the run record json
   * @param error the run's error text ('' when it succeeded)
   * @param answered for the run of an answer held in memory ({@code entryId} ''), the call it answers; else null
   */
  record Run(String entryId, String expectedVersion, CommitPlan plan, String runRecord, String error, String token,
      String remoteChain, String answered) {

    /** ARGV 5-7 are what every commit of the queue passes the same ({@link QueueScope}). */
    List<String> args(QueueScope scope) {
      List<String> args = new ArrayList<>(11 + plan.effects().size());
      args.addAll(List.of(RedisKeys.GROUP, entryId, expectedVersion, plan.counts().encode(), scope.chainTtl(),
          String.valueOf(scope.runsPerContext()), String.valueOf(scope.disableAfterFailures()), runRecord, error, token,
          remoteChain));
      args.addAll(plan.effects());
      if (answered != null) {
        args.add(answered);
      }
      return args;
    }
  }

  /** The answer's first element: what happened to one run. */
  private enum Answer {
    OK, CONFLICT, DUPLICATE, DISABLED;

    static Answer of(String text) {
      for (Answer answer : values()) {
        if (answer.name().equalsIgnoreCase(text)) {
          return answer;
        }
      }
      throw new FlowpayFailure(FlowpayFailure.Kind.REDIS_ERROR, "commit.lua answered '" + text + "'");
    }
  }

  /**
   * Encodes a run's commit without sending it (any thread may do this). KEYS 1 context hash, 2 own task stream,
   * 3 outbox, 4 context runs, 5 chain hash, 6 chain runs (5, 6: the forward stream when the chain's home is
   * another worker), 7 flow hash, 8 the worker's lease, 9 forward stream, 10 own timers: all of the worker (one
   * Cluster slot). On one server (not Cluster) the chain's keys are its home's wherever that is, and what the run
   * starts on other workers is written at them (KEYS 11..), so such a commit writes nothing to the forward stream.
   */
  PreparedCommit prepare(Delivery delivery, Snapshot snapshot, RunResult result) {
    Task task = delivery.task();
    String worker = delivery.workerId();
    boolean oneServer = !scope.cluster();
    boolean chainHere = oneServer || chainIsAt(task.chainId(), worker);
    String forward = RedisKeys.forward(worker);
    List<String> keys = new ArrayList<>(List.of(
        RedisKeys.context(worker, task.contextId()), RedisKeys.tasks(worker), RedisKeys.outbox(worker),
        RedisKeys.runs(worker, task.contextId()), chainHere ? RedisKeys.chain(task.chainId()) : forward,
        chainHere ? RedisKeys.chainRuns(task.chainId()) : forward, RedisKeys.flow(worker, task.flow()),
        RedisKeys.lease(worker), forward, RedisKeys.timers(worker)));
    CommitPlan plan = CommitPlan.of(result, worker);
    if (oneServer && plan.counts().forwards()) {
      keys.add(RedisKeys.workerIds());
      keys.addAll(plan.elsewhere());
    }
    Run run = new Run(delivery.isHeld() ? "" : delivery.entryId(), result.ok() ? snapshot.version() : "", plan,
        RunRecord.of(task, result).toJson().encode(), result.error() == null ? "" : result.error().toString(),
        scope.token(worker), chainHere ? "" : task.chainId(), delivery.isHeld() ? delivery.answer().call().callId()
        : null);
    Snapshot after = result.ok() ? snapshot.after(result.effects().writes(), null) : snapshot;
    return new PreparedCommit(delivery, result, after.values(), SCRIPT.prepare(keys, run.args(scope)),
        !oneServer && (!chainHere || plan.counts().forwards()));
  }

  /**
   * Whether a chain's keys are with {@code worker}: its home is that worker, or it is a chain of the layout
   * before (no home in its id: its keys are global, which only a standalone or Sentinel Redis serves).
   */
  static boolean chainIsAt(String chainId, String worker) {
    String home = RedisKeys.chainHome(chainId);
    return home == null || home.equals(worker);
  }

  Future<Commit> run(PreparedCommit prepared) {
    return SCRIPT.run(scope.redis(), prepared.call()).map(response -> toCommit(prepared.delivery().task(), response));
  }

  /** Several runs in one call, each committed on its own; one answer per run, in order. */
  Future<List<Commit>> run(List<PreparedCommit> batch) {
    return SCRIPT.run(scope.redis(), batch(batch.stream().map(PreparedCommit::call).toList())).map(response -> {
      List<Commit> commits = new ArrayList<>(batch.size());
      for (int i = 0; i < batch.size(); i++) {
        commits.add(toCommit(batch.get(i).delivery().task(), response.get(i)));
      }
      return commits;
    });
  }

  /**
   * ARGV {@code 'batch', n}, then each run's number of keys and of arguments, then every run's
   * arguments; KEYS every run's keys, run after run.
   */
  private LuaScript.Call batch(List<LuaScript.Call> calls) {
    List<String> keys = new ArrayList<>();
    List<String> args = new ArrayList<>(List.of("batch", String.valueOf(calls.size())));
    for (LuaScript.Call call : calls) {
      keys.addAll(call.keys());
      args.add(String.valueOf(call.keys().size()));
      args.add(String.valueOf(call.args().size()));
    }
    calls.forEach(call -> args.addAll(call.args()));
    return SCRIPT.prepare(keys, args);
  }

  /**
   * {'ok', version, forward entries written} | {'conflict', current version} | {'duplicate', ''}
   * | {'disabled', last error}.
   */
  private static Commit toCommit(Task task, Response response) {
    String detail = response.get(1).toString();
    return switch (Answer.of(response.get(0).toString())) {
      case OK -> new Commit(Commit.Outcome.COMMITTED, detail, null, Forwarded.of(response.get(2)));
      case CONFLICT -> new Commit(Commit.Outcome.CONFLICT, detail, null);
      case DUPLICATE -> new Commit(Commit.Outcome.DUPLICATE, null, null);
      case DISABLED -> new Commit(Commit.Outcome.FLOW_DISABLED, null, FlowSwitches.disabled(task.flow(), detail));
    };
  }
}
