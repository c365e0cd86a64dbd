package io.flowpay.queue;

import io.flowpay.failure.FlowpayFailure;
import io.flowpay.flow.Call;
import io.flowpay.flow.Delayed;
import io.flowpay.flow.Effects;
import io.flowpay.flow.RunResult;
import io.flowpay.flow.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A run's effects as {@code lua/commit.lua} takes them: how many of each ({@link Counts}), and the
 * effects themselves as ready-made strings, each its own argument, so that Lua only moves text and
 * decodes no JSON (no escaping on the way in, and its cjson would round large integers).
 *
 * @param effects call id and call json per outbox entry, task json per dispatch, delay ms and task json
 *     per timer (those two: to the committing worker), key and value json per context write, key per context
 *     delete, then target worker, task id and task json per dispatch to another worker, target worker, task id,
 *     delay ms and task json per timer on another worker: commit.lua's ARGV 12..
 * @param elsewhere where those for other workers go on one server (commit.lua's KEYS 12..): the worker's task stream
 *     per dispatch, then its task stream and timers per timer, in the order of {@code effects}
 */
record CommitPlan(Counts counts, List<String> effects, List<String> elsewhere) {

  /** How a run ended, as far as its flow's failure streak goes. */
  enum Failure {
    /** The run succeeded. */
    NONE("0"),
    /** It failed: a flow's own throw, a TypeError on an odd input, a timeout. */
    FAILED("1"),
    /**
     * It failed because the flow itself cannot run (no such file, a syntax error), whatever its input:
     * only these count toward {@code worker.disableAfterFailures}. Flowpay cannot tell a bad input from a
     * bug otherwise, and one caller's bad input must not stop other callers' payments.
     */
    CANNOT_RUN("2");

    private final String code;

    Failure(String code) {
      this.code = code;
    }

    static Failure of(RunResult result) {
      if (result.ok()) {
        return NONE;
      }
      String code = result.error() == null ? "" : result.error().code();
      return FlowpayFailure.Kind.FLOW_INVALID.code().equals(code) || FlowpayFailure.Kind.FLOW_NOT_FOUND.code().equals(code)
          ? CANNOT_RUN : FAILED;
    }
  }

  /**
   * commit.lua's ARGV[4]: how many of each effect follow, the change to the chain's pending count
   * (tasks and calls started less the one that ran), how the run ended, and the time.
   */
  record Counts(int outboxes, int dispatches, int timers, int sets, int dels, int delta, Failure failure, long nowMs,
      int forwardedDispatches, int forwardedTimers) {

    /** Space-joined, in this order: the one argument commit.lua splits. */
    String encode() {
      return outboxes + " " + dispatches + " " + timers + " " + sets + " " + dels + " " + delta + " " + failure.code
          + " " + nowMs + " " + forwardedDispatches + " " + forwardedTimers;
    }

    /** Whether the run dispatches or sets timers for other workers. */
    boolean forwards() {
      return forwardedDispatches > 0 || forwardedTimers > 0;
    }
  }

  /** The plan of a run on {@code worker}: dispatches and timers for other workers apart from its own. */
  static CommitPlan of(RunResult result, String worker) {
    List<String> outbox = new ArrayList<>();
    List<String> dispatch = new ArrayList<>();
    List<String> timers = new ArrayList<>();
    List<String> set = new ArrayList<>();
    List<String> del = new ArrayList<>();
    List<String> forwardDispatch = new ArrayList<>();
    List<String> forwardTimers = new ArrayList<>();
    List<String> elsewhere = new ArrayList<>();
    List<String> elsewhereTimers = new ArrayList<>();
    if (result.ok()) {
      Effects effects = result.effects();
      for (Call call : effects.calls()) {
        outbox.add(call.callId());
        outbox.add(call.toJson().encode());
      }
      for (Task child : effects.dispatches()) {
        if (child.workerId().equals(worker)) {
          dispatch.add(child.encode());
        } else {
          forwardDispatch.addAll(List.of(child.workerId(), child.taskId(), child.encode()));
          elsewhere.add(RedisKeys.tasks(child.workerId()));
        }
      }
      for (Delayed timer : effects.delayed()) {
        Task later = timer.task();
        if (later.workerId().equals(worker)) {
          timers.add(String.valueOf(timer.delayMs()));
          timers.add(later.encode());
        } else {
          forwardTimers.addAll(List.of(later.workerId(), later.taskId(), String.valueOf(timer.delayMs()), later.encode()));
          elsewhereTimers.addAll(List.of(RedisKeys.tasks(later.workerId()), RedisKeys.timers(later.workerId())));
        }
      }
      for (Map.Entry<String, String> write : effects.writes().entrySet()) {
        if (write.getValue() == null) {
          del.add(write.getKey());
        } else {
          set.add(write.getKey());
          set.add(write.getValue());
        }
      }
    }
    int started = outbox.size() / 2 + dispatch.size() + timers.size() / 2 + forwardDispatch.size() / 3
        + forwardTimers.size() / 4;
    Counts counts = new Counts(outbox.size() / 2, dispatch.size(), timers.size() / 2, set.size() / 2, del.size(),
        started - 1, Failure.of(result), System.currentTimeMillis(), forwardDispatch.size() / 3, forwardTimers.size() / 4);
    List<String> texts = new ArrayList<>(outbox.size() + dispatch.size() + timers.size() + set.size() + del.size()
        + forwardDispatch.size() + forwardTimers.size());
    texts.addAll(outbox);
    texts.addAll(dispatch);
    texts.addAll(timers);
    texts.addAll(set);
    texts.addAll(del);
    texts.addAll(forwardDispatch);
    texts.addAll(forwardTimers);
    elsewhere.addAll(elsewhereTimers);
    return new CommitPlan(counts, texts, elsewhere);
  }
}
