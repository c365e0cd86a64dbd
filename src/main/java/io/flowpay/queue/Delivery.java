package io.flowpay.queue;

import io.flowpay.flow.Task;

/**
 * One stream entry as a worker received it.
 *
 * @param task null when the entry could not be read as a task (then {@code raw} says what was there)
 * @param deliveries how many times the stream has handed this entry out (1 on first delivery)
 */
public record Delivery(String workerId, String entryId, Task task, String raw, long deliveries) {}
