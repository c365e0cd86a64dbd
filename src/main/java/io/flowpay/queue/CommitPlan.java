package io.flowpay.queue;

import io.flowpay.failure.FlowpayFailure;
import io.flowpay.flow.Call;
import io.flowpay.flow.Delayed;
import io.flowpay.flow.Effects;
import io.flowpay.flow.RunRecord;
import io.flowpay.flow.RunResult;
import io.flowpay.flow.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The arguments {@code lua/commit.lua} takes after its fixed ones: a run's effects as ready-made
 * strings, each its own argument, so that Lua only moves text and decodes no JSON (no escaping on
 * the way in, and its cjson would round large integers).
 */
final class CommitPlan {

  private CommitPlan() {}

  /** ARGV 4 (the counts) and ARGV 8 onwards, in commit.lua's order. */
  static Plan of(RunResult result, RunRecord record) {
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
    String counts = String.join(" ", String.valueOf(outbox.size() / 2), String.valueOf(dispatch.size()),
        String.valueOf(timers.size() / 2), String.valueOf(set.size() / 2), String.valueOf(del.size()),
        String.valueOf(started - 1), failure(result), String.valueOf(System.currentTimeMillis()));
    List<String> texts = new ArrayList<>(2 + outbox.size() + dispatch.size() + timers.size() + set.size() + del.size());
    texts.add(record.toJson().encode());
    texts.add(result.error() == null ? "" : result.error().toString());
    texts.addAll(outbox);
    texts.addAll(dispatch);
    texts.addAll(timers);
    texts.addAll(set);
    texts.addAll(del);
    return new Plan(counts, texts);
  }

  /**
   * {@code 0}: the run succeeded; {@code 1}: it failed; {@code 2}: it failed because the flow itself
   * cannot run (no such file, a syntax error), whatever its input: only these count toward
   * {@code worker.disableAfterFailures}. A flow's own {@code throw}, a TypeError on an odd input, a
   * timeout: Flowpay cannot tell a bad input from a bug there, and one caller's bad input must not
   * stop other callers' payments, so those fail their own run only.
   */
  static String failure(RunResult result) {
    if (result.ok()) {
      return "0";
    }
    String code = result.error() == null ? "" : result.error().code();
    return FlowpayFailure.Kind.FLOW_INVALID.code().equals(code) || FlowpayFailure.Kind.FLOW_NOT_FOUND.code().equals(code)
        ? "2" : "1";
  }

  /**
   * @param counts ARGV 4
   * @param texts ARGV 8 onwards
   */
  record Plan(String counts, List<String> texts) {}
}
