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
 *     per timer, key and value json per context write, key per context delete: commit.lua's ARGV 10..
 */
record CommitPlan(Counts counts, List<String> effects) {

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
  record Counts(int outboxes, int dispatches, int timers, int sets, int dels, int delta, Failure failure, long nowMs) {

    /** Space-joined, in this order: the one argument commit.lua splits. */
    String encode() {
      return outboxes + " " + dispatches + " " + timers + " " + sets + " " + dels + " " + delta + " " + failure.code
          + " " + nowMs;
    }
  }

  static CommitPlan of(RunResult result) {
    List<String> outbox = new ArrayList<>();
    List<String> dispatch = new ArrayList<>();
    List<String> timers = new ArrayList<>();
    List<String> set = new ArrayList<>();
    List<String> del = new ArrayList<>();
    if (result.ok()) {
      Effects effects = result.effects();
      for (Call call : effects.calls()) {
        outbox.add(call.callId());
        outbox.add(call.toJson().encode());
      }
      for (Task child : effects.dispatches()) {
        dispatch.add(child.encode());
      }
      for (Delayed timer : effects.delayed()) {
        timers.add(String.valueOf(timer.delayMs()));
        timers.add(timer.task().encode());
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
    int started = outbox.size() / 2 + dispatch.size() + timers.size() / 2;
    Counts counts = new Counts(outbox.size() / 2, dispatch.size(), timers.size() / 2, set.size() / 2, del.size(),
        started - 1, Failure.of(result), System.currentTimeMillis());
    List<String> texts = new ArrayList<>(outbox.size() + dispatch.size() + timers.size() + set.size() + del.size());
    texts.addAll(outbox);
    texts.addAll(dispatch);
    texts.addAll(timers);
    texts.addAll(set);
    texts.addAll(del);
    return new CommitPlan(counts, texts);
  }
}
