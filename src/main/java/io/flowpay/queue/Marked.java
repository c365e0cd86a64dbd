package io.flowpay.queue;

import io.vertx.redis.client.Response;

/**
 * What a write done once per mark (a Stripe event's id, an API request's {@code Idempotency-Key})
 * answered: {@code {1, stream entry id}} when it was done now, {@code {0, earlier mark value}} for a
 * duplicate (nothing done).
 *
 * @param taken true when this was the first: the write was done and the mark set
 * @param value the new stream entry's id when taken, else the mark's value (what the first one did)
 */
public record Marked(boolean taken, String value) {

  static Marked of(Response response) {
    return new Marked(response.get(0).toInteger() == 1, response.get(1).toString());
  }

  /** The mark's value when this was a duplicate, else null. */
  public String earlier() {
    return taken ? null : value;
  }
}
