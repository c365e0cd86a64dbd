package io.flowpay.queue;

/**
 * The mark that makes a chain start once ({@link Chains#startOnce}): an API request's
 * {@code Idempotency-Key} or a Stripe event's id. Its Redis key is built here, in {@code queue/}.
 */
public record StartMark(String key) {

  /** An API request's {@code Idempotency-Key}, within its token's key space. */
  public static StartMark apiRequest(String idempotencyKey) {
    return new StartMark(RedisKeys.apiRequest(idempotencyKey));
  }

  /** A Stripe event, by its id. */
  public static StartMark stripeEvent(String eventId) {
    return new StartMark(RedisKeys.stripeEvent(eventId));
  }
}
