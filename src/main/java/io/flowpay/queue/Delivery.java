package io.flowpay.queue;

import io.flowpay.flow.Task;

/**
 * One task as a worker received it: a stream entry, or Stripe's answer to a call held in memory.
 *
 * @param task null when the entry could not be read as a task (then {@code raw} says what was there)
 * @param raw the stream entry's text; null for an answer held in memory
 * @param deliveries how many times the stream has handed this entry out (1 on first delivery)
 * @param runsStarted runs of this entry started after it was handed out again, none of which committed
 *     (each ended with its process dead or cut off): recorded only for entries delivered more than once
 * @param soloRuns those of {@code runsStarted} that ran alone on their worker: a process that died then
 *     died of this entry's run
 * @param answer for an answer held in memory (no stream entry: {@code entryId} only names it in the
 *     worker), the answer; its run's commit takes the call out of the outbox. Null for a stream entry.
 */
public record Delivery(String workerId, String entryId, Task task, String raw, long deliveries, long runsStarted,
    long soloRuns, Answer answer) {

  /** A stream entry. */
  public Delivery(String workerId, String entryId, Task task, String raw, long deliveries, long runsStarted,
      long soloRuns) {
    this(workerId, entryId, task, raw, deliveries, runsStarted, soloRuns, null);
  }

  /** A stream entry with no run of it recorded. */
  public Delivery(String workerId, String entryId, Task task, String raw, long deliveries) {
    this(workerId, entryId, task, raw, deliveries, 0, 0);
  }

  /** Stripe's answer to a call, held in memory: it goes to its context's lane without a stream entry. */
  public static Delivery held(Answer answer) {
    return new Delivery(answer.call().origin().workerId(), "held:" + answer.task().taskId(), answer.task(), null,
        1, 0, 0, answer.held());
  }

  /** Whether this is an answer held in memory (it has no stream entry to acknowledge, park or claim). */
  public boolean isHeld() {
    return answer != null;
  }
}
