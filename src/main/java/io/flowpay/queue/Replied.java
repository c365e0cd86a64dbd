package io.flowpay.queue;

import java.util.List;

/**
 * What storing answers did.
 *
 * @param enqueued per answer, false when its call had been answered before
 * @param read new tasks handed to the worker in the same round trip
 */
public record Replied(List<Boolean> enqueued, List<Delivery> read) {}
