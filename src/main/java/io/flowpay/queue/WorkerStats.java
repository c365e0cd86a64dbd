package io.flowpay.queue;

import java.util.List;

/**
 * Where one worker's stream stands, as an operator reads it.
 *
 * @param length tasks in the stream not done yet (done ones are deleted): queued plus handed out
 * @param pending tasks handed out to a consumer and not acknowledged (running, or held by a dead process)
 * @param oldestAgeMs how long the oldest task not done has been in the stream (0 when none): the lag
 * @param callsInFlight calls in the outbox (committed, not answered)
 * @param timers {@code flow.after} tasks waiting
 * @param dead dead letters waiting for an operator
 * @param consumers the consumers of the worker's group, with how long each has been idle
 */
public record WorkerStats(String workerId, long length, long pending, long oldestAgeMs, long callsInFlight,
    long timers, long dead, List<Consumer> consumers) {

  /**
   * A consumer that was handed a task this recently is active. Redis 6.2 refreshes a consumer's idle time only when
   * it is handed tasks, so a worker with nothing to do looks idle too: "not active" is "took nothing lately", not "dead".
   */
  public static final long LIVE_IDLE_MS = 30_000;

  /** A reader of the stream: {@code idleMs} since it was last handed tasks (or acknowledged some). */
  public record Consumer(String name, long pending, long idleMs) {
    public boolean live() {
      return idleMs <= LIVE_IDLE_MS;
    }
  }

  /** Tasks waiting to be handed out. */
  public long queued() {
    return Math.max(0, length - pending);
  }

  /** A consumer was handed tasks in the last {@link #LIVE_IDLE_MS}. */
  public boolean active() {
    return consumers.stream().anyMatch(Consumer::live);
  }
}
