package io.flowpay.queue;

import io.flowpay.flow.Task;

/**
 * One stream entry as a worker received it.
 *
 * @param task null when the entry could not be read as a task (then {@code raw} says what was there)
 * @param deliveries how many times the stream has handed this entry out (1 on first delivery)
 * @param runsStarted runs of this entry started after it was handed out again, none of which committed
 *     (each ended with its process dead or cut off): recorded only for entries delivered more than once
 * @param soloRuns those of {@code runsStarted} that ran alone on their worker: a process that died then
 *     died of this entry's run
 */
public record Delivery(String workerId, String entryId, Task task, String raw, long deliveries, long runsStarted,
    long soloRuns) {

  /** A delivery with no run of it recorded. */
  public Delivery(String workerId, String entryId, Task task, String raw, long deliveries) {
    this(workerId, entryId, task, raw, deliveries, 0, 0);
  }
}
