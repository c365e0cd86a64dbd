package io.flowpay.worker;

import io.flowpay.failure.FlowpayFailure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Retries a Redis step with exponential back-off while Redis is unreachable or failing; a failure
 * that is no Redis trouble (a non-retryable {@link FlowpayFailure}) fails at once. Back-off waits are
 * Vert.x timers, never sleeps.
 */
final class RedisRetry {

  /** Attempts for a step whose failure leaves its task pending (claimed again later). */
  static final int STEP_ATTEMPTS = 12;
  /** For a step that must not be dropped (an answer, a reconnect): for as long as the worker runs. */
  static final int FOREVER = Integer.MAX_VALUE;
  private static final long MAX_BACKOFF_MS = 5_000;

  private final Vertx vertx;
  private final BooleanSupplier givenUp;
  private final LeaseGuard lease;

  /**
   * @param givenUp true once the worker stopped waiting for what is under way: no more attempts
   * @param lease a step is not tried once the lease is lost, nor again when it was refused as fenced
   */
  RedisRetry(Vertx vertx, BooleanSupplier givenUp, LeaseGuard lease) {
    this.vertx = vertx;
    this.givenUp = givenUp;
    this.lease = lease;
  }

  <T> Future<T> retry(Supplier<Future<T>> step, int maxAttempts) {
    return retry(step, 1, maxAttempts);
  }

  private <T> Future<T> retry(Supplier<Future<T>> step, int attempt, int maxAttempts) {
    if (lease.lost()) {
      return lease.refused();
    }
    return step.get().recover(error -> {
      if (lease.fencedBy(error) || givenUp.getAsBoolean() || attempt >= maxAttempts || !isRedisTrouble(error)) {
        return Future.failedFuture(error);
      }
      long delay = Math.min(MAX_BACKOFF_MS, 50L << Math.min(attempt, 16));
      return vertx.timer(delay).compose(waited -> retry(step, attempt + 1, maxAttempts));
    });
  }

  private static boolean isRedisTrouble(Throwable error) {
    return !(error instanceof FlowpayFailure failure) || failure.retryable();
  }
}
