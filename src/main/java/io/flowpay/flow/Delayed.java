package io.flowpay.flow;

/** A task a flow scheduled with {@code flow.after}: enqueued {@code delayMs} after its run commits. */
public record Delayed(long delayMs, Task task) {}
