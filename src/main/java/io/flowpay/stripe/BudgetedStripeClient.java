package io.flowpay.stripe;

import io.flowpay.config.StripeOptions;
import io.flowpay.config.StripeRateLimit;
import io.flowpay.flow.Call;
import io.flowpay.metrics.FlowMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends each call (each attempt, retries included) only with a token of the fleet's {@link RateBudget} for its
 * Stripe account: at once while tokens are left, otherwise after a timer set to when its token is due. So N
 * processes together stay under Stripe's per-account limit instead of each meeting 429s on its own.
 *
 * <p>A call that would wait longer than {@link StripeRateLimit#maxWaitMs()} (or the retry deadline), or that
 * finds {@link StripeRateLimit#maxQueued()} calls of this process already waiting, is not sent: it answers a
 * retryable {@code rate_limit_error} ({@code rate_budget_exhausted}), never sent, so the retry policy may try
 * again later and, past its deadline, the error flow sees why. While Redis does not answer, the take is tried
 * again with back-off; once the call's wait is spent it is sent without a token (the budget protects Stripe's
 * limit, it must not hold back committed calls for longer than that).
 *
 * <p>Counts waits ({@code flowpay_stripe_rate_wait_seconds}), refusals and every 429 that still came
 * ({@code flowpay_stripe_429_total}). No thread ever waits: waiting is a Vert.x timer.
 */
public final class BudgetedStripeClient implements StripeClient {

  /** The error code of an answer made for a call the budget did not send. */
  static final String NOT_SENT = "rate_budget_exhausted";

  private static final System.Logger LOG = System.getLogger(BudgetedStripeClient.class.getName());

  private final Vertx vertx;
  private final StripeClient inner;
  private final RateBudget budget;
  private final StripeAccount account;
  private final int opsPerSecond;
  private final int burst;
  private final long maxWaitMs;
  private final int maxQueued;
  private final FlowMetrics metrics;
  /** A token come to later than this after it was due is not used: another is taken. */
  static final long LATE_MS = 100;

  private final AtomicInteger waiting = new AtomicInteger();
  private final AtomicBoolean budgetUnreachable = new AtomicBoolean();

  private BudgetedStripeClient(Vertx vertx, StripeClient inner, Redis redis, StripeAccount account, int opsPerSecond,
      int burst, long maxWaitMs, int maxQueued, FlowMetrics metrics) {
    this.vertx = vertx;
    this.inner = inner;
    this.budget = new RateBudget(redis);
    this.account = account;
    this.opsPerSecond = opsPerSecond;
    this.burst = burst;
    this.maxWaitMs = maxWaitMs;
    this.maxQueued = maxQueued;
    this.metrics = metrics;
  }

  /**
   * {@code inner} behind the fleet's budget, or {@code inner} itself when there is none: {@code stripe.rateLimit}
   * is off ({@code opsPerSecond: 0}), or it is left to the key's default while {@code stripe.apiBase} is not
   * Stripe's (a local stand-in has no Stripe limits to keep).
   */
  public static StripeClient wrap(Vertx vertx, StripeClient inner, StripeOptions options, Redis redis,
      FlowMetrics metrics) {
    StripeRateLimit limit = options.rateLimit();
    boolean byKey = limit.opsPerSecond() == StripeRateLimit.BY_KEY;
    if (!limit.enabled() || byKey && !options.apiBase().equals(StripeOptions.DEFAULT_API_BASE)) {
      return inner;
    }
    StripeAccount account = inner.account() != null ? inner.account() : new StripeAccount("default", false);
    int rate = limit.opsPerSecondFor(account.testMode());
    LOG.log(System.Logger.Level.INFO, "Stripe rate budget for {0}: {1} calls/s, burst {2}, shared by every process",
        account, rate, limit.burstFor(rate));
    return new BudgetedStripeClient(vertx, inner, redis, account, rate, limit.burstFor(rate),
        Math.min(limit.maxWaitMs(), options.retryDeadlineMs()), limit.maxQueued(), metrics);
  }

  @Override
  public Future<StripeAnswer> send(Call call) {
    if (waiting.get() >= maxQueued) {
      metrics.stripeRateRefused("queue_full");
      return Future.succeededFuture(refused(call, "this process already has " + maxQueued
          + " calls waiting for the account's budget (stripe.rateLimit.maxQueued)", 1_000));
    }
    return sendWithToken(call, RateBudget.bucket(account, call.stripeAccount()), System.currentTimeMillis() + maxWaitMs);
  }

  /**
   * Takes a token and sends when it is due. A process that comes to its token more than {@link #LATE_MS} late (it
   * stalled while it waited for it: a GC pause, a starved CPU) takes another instead: sending on a stale token
   * would bunch its calls together with the tokens other processes take meanwhile, above the rate. Late is
   * counted from when the grant came back, not from when it was asked for: a slow answer from Redis (a busy
   * server) would otherwise make every token late, and each call would spend two.
   */
  private Future<StripeAnswer> sendWithToken(Call call, String bucket, long deadline) {
    return take(bucket, deadline, 1).compose(grant -> {
      if (!grant.granted()) {
        return tooLong(call, grant.waitMs());
      }
      long granted = System.nanoTime();
      return waitFor(grant.waitMs()).compose(waited -> {
        long lateMs = (System.nanoTime() - granted) / 1_000_000 - grant.waitMs();
        if (lateMs > LATE_MS && System.currentTimeMillis() < deadline) {
          metrics.stripeRateRefused("late_token");
          return sendWithToken(call, bucket, deadline);
        }
        return sendCounted(call);
      });
    });
  }

  /**
   * Takes a token; while Redis does not answer (a full pool, a failover) asks again with back-off, and once the
   * call's wait is spent, lets it go without a token.
   */
  private Future<RateBudget.Grant> take(String bucket, long deadline, int attempt) {
    return budget.take(bucket, opsPerSecond, burst, Math.max(0, deadline - System.currentTimeMillis()))
        .map(grant -> {
          budgetUnreachable.set(false);
          return grant;
        })
        .recover(error -> {
          long delay = Math.min(1_000, 25L << Math.min(attempt, 6));
          return System.currentTimeMillis() + delay > deadline ? unreachable(error)
              : vertx.timer(delay).compose(waited -> take(bucket, deadline, attempt + 1));
        });
  }

  @Override
  public StripeAccount account() {
    return account;
  }

  private Future<RateBudget.Grant> unreachable(Throwable error) {
    if (budgetUnreachable.compareAndSet(false, true)) {
      LOG.log(System.Logger.Level.WARNING, "Stripe rate budget unreachable in Redis ({0}): calls go out without"
          + " a token until it answers again", error.getMessage());
    }
    metrics.stripeRateRefused("budget_unreachable");
    return Future.succeededFuture(new RateBudget.Grant(true, 0));
  }

  private Future<Void> waitFor(long waitMs) {
    metrics.stripeRateWait(Duration.ofMillis(waitMs));
    if (waitMs <= 0) {
      return Future.succeededFuture();
    }
    waiting.incrementAndGet();
    return vertx.timer(waitMs).<Void>mapEmpty().eventually(() -> {
      waiting.decrementAndGet();
      return Future.succeededFuture();
    });
  }

  private Future<StripeAnswer> sendCounted(Call call) {
    return inner.send(call).map(answer -> {
      if (answer.httpStatus() != null && answer.httpStatus() == 429) {
        metrics.stripe429(RetryingStripeClient.resourceOf(call.path()));
      }
      return answer;
    });
  }

  private Future<StripeAnswer> tooLong(Call call, long waitMs) {
    metrics.stripeRateRefused("wait_too_long");
    return Future.succeededFuture(refused(call, "its token of the account's rate budget (" + opsPerSecond
        + " calls/s) is " + waitMs + " ms away, more than the " + maxWaitMs + " ms a call may wait"
        + " (stripe.rateLimit.maxWaitMs, stripe.retryDeadlineMs)", waitMs));
  }

  /** A retryable error answer for a call that was not sent, with when a retry may find a token. */
  private static StripeAnswer refused(Call call, String why, long retryAfterMs) {
    JsonObject error = StripeErrors.error("rate_limit_error", "Call " + call.callId() + " (" + call.method() + " "
        + call.path() + ") was not sent: " + why + ". Slow the flows down or raise stripe.rateLimit")
        .put("code", NOT_SENT);
    return new StripeAnswer(false, null, StripeErrors.envelope(error, null, null, false), null, true,
        Math.max(1, (retryAfterMs + 999) / 1000));
  }
}
