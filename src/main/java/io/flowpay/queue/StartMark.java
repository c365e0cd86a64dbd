package io.flowpay.queue;

/**
 * The mark that makes a chain start once ({@link Chains#startOnce}): an API request's
 * {@code Idempotency-Key} or a Stripe event's id. Its Redis key is built here, in {@code queue/}. A mark
 * lives with the worker the chain starts on (one Redis Cluster slot with its stream and the new chain),
 * so marking and starting are one atomic step; an event no flow handles is marked with the log of
 * unhandled events instead ({@link #unhandledEvent}).
 */
public record StartMark(String key) {

  /** An API request's {@code Idempotency-Key}, within its token's key space, for a run on {@code worker}. */
  public static StartMark apiRequest(String worker, String idempotencyKey) {
    return new StartMark(RedisKeys.apiRequest(worker, idempotencyKey));
  }

  /** A Stripe event, by its id, that starts a chain on {@code worker}. */
  public static StartMark stripeEvent(String worker, String eventId) {
    return new StartMark(RedisKeys.stripeEvent(worker, eventId));
  }

  /** A Stripe event, by its id, that no flow handles (recorded in {@link StripeEventLog#UNHANDLED}). */
  public static StartMark unhandledEvent(String eventId) {
    return new StartMark(RedisKeys.unhandledEvent(eventId));
  }
}
