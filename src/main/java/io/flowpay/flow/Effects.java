package io.flowpay.flow;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a flow run decided: state writes, Stripe calls, dispatched and delayed tasks, log lines. Collected
 * while the script runs, committed together after it returns, or dropped whole if it fails.
 *
 * <p>Not thread-safe: one run fills it on one script thread, then hands it over.
 */
public final class Effects {

  private final Map<String, String> writes = new LinkedHashMap<>();
  private final List<Call> calls = new ArrayList<>();
  private final List<Task> dispatches = new ArrayList<>();
  private final List<Delayed> delayed = new ArrayList<>();
  private final List<LogLine> logs = new ArrayList<>();

  /** Sets a context key to a JSON text; a null value deletes the key. */
  public void write(String key, String json) {
    writes.put(key, json);
  }

  public void call(Call call) {
    calls.add(call);
  }

  public void dispatch(Task task) {
    dispatches.add(task);
  }

  /** A task to enqueue {@code delayMs} after the run commits ({@code flow.after}). */
  public void after(long delayMs, Task task) {
    delayed.add(new Delayed(delayMs, task));
  }

  public void log(String level, String message) {
    logs.add(new LogLine(level, message));
  }

  /** Key to JSON text, or to null for a delete; in the order the flow wrote them. */
  public Map<String, String> writes() {
    return Collections.unmodifiableMap(writes);
  }

  public List<Call> calls() {
    return Collections.unmodifiableList(calls);
  }

  public List<Task> dispatches() {
    return Collections.unmodifiableList(dispatches);
  }

  public List<Delayed> delayed() {
    return Collections.unmodifiableList(delayed);
  }

  public List<LogLine> logs() {
    return Collections.unmodifiableList(logs);
  }
}
