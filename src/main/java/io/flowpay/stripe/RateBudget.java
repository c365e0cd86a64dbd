package io.flowpay.stripe;

import io.flowpay.queue.LuaScript;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import java.util.List;

/**
 * The fleet's token buckets in Redis, one per Stripe account (and per {@code Stripe-Account} for Connect
 * calls): the Java twin of {@code lua/rate_take.lua}. One step takes a token, or says how long until one is
 * due, by Redis's clock, so every process draws on the same budget. A taken token is reserved: its caller
 * sends at the time it was given, and the next caller is given a later one (no polling, no stampede).
 *
 * <p>Key: {@code flowpay:rate:<account>[:<connected account>]}, where {@code <account>} is
 * {@link StripeAccount#id()} (a hash, never the key). It expires a second after the bucket is full again.
 */
final class RateBudget {

  private static final LuaScript TAKE = LuaScript.load("rate_take");

  private final Redis redis;

  RateBudget(Redis redis) {
    this.redis = redis;
  }

  /** The answer to one take: {@code granted} with the wait before sending, or refused with the wait it would need. */
  record Grant(boolean granted, long waitMs) {}

  static String bucket(StripeAccount account, String connectedAccount) {
    return "flowpay:rate:" + account.id() + (connectedAccount == null ? "" : ":" + connectedAccount);
  }

  /** Takes one token of {@code bucket} (refilled at {@code opsPerSecond}, at most {@code burst}), waiting at most {@code maxWaitMs}. */
  Future<Grant> take(String bucket, int opsPerSecond, int burst, long maxWaitMs) {
    return TAKE.run(redis, List.of(bucket), List.of(String.valueOf(opsPerSecond), String.valueOf(burst),
        String.valueOf(maxWaitMs))).map(RateBudget::grant);
  }

  private static Grant grant(Response answer) {
    return new Grant(answer.get(0).toInteger() == 1, answer.get(1).toLong());
  }
}
