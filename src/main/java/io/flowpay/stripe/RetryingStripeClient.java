package io.flowpay.stripe;

import io.flowpay.config.StripeOptions;
import io.flowpay.flow.Call;
import io.flowpay.metrics.FlowMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Sends a call again, with the same idempotency key, while Stripe's answer says that may help (no
 * answer, 409, 429, 5xx; {@code Stripe-Should-Retry} overrides), within an attempt budget and a
 * deadline. Waits grow exponentially with jitter, never shorter than Stripe's {@code Retry-After},
 * and are timers: no thread sleeps. The last answer goes to the flow, with {@code attempts} added
 * to an error envelope.
 */
public final class RetryingStripeClient implements StripeClient {

  private static final System.Logger LOG = System.getLogger(RetryingStripeClient.class.getName());

  private final Vertx vertx;
  private final StripeClient inner;
  private final StripeOptions options;
  private final FlowMetrics metrics;
  private final DoubleSupplier random;

  public RetryingStripeClient(Vertx vertx, StripeClient inner, StripeOptions options) {
    this(vertx, inner, options, new FlowMetrics());
  }

  /** @param metrics counts every attempt and every retry */
  public RetryingStripeClient(Vertx vertx, StripeClient inner, StripeOptions options, FlowMetrics metrics) {
    this(vertx, inner, options, metrics, Math::random);
  }

  RetryingStripeClient(Vertx vertx, StripeClient inner, StripeOptions options, FlowMetrics metrics,
      DoubleSupplier random) {
    this.vertx = vertx;
    this.inner = inner;
    this.options = options;
    this.metrics = metrics;
    this.random = random;
  }

  @Override
  public Future<StripeAnswer> send(Call call) {
    return attempt(call, 1, System.currentTimeMillis() + options.retryDeadlineMs());
  }

  private Future<StripeAnswer> attempt(Call call, int attempt, long deadline) {
    long started = System.nanoTime();
    String resource = resourceOf(call.path());
    return inner.send(call).compose(answer -> {
      int status = answer.httpStatus() == null ? 0 : answer.httpStatus();
      if (!answer.notSent()) {  // a call the rate budget held is counted there, not as a call without an answer
        metrics.stripeCall(resource, status, Duration.ofNanos(System.nanoTime() - started));
      }
      long delay = delayMs(attempt, answer.retryAfterSeconds());
      if (answer.success() || !answer.retryable() || attempt >= options.maxAttempts()
          || System.currentTimeMillis() + delay > deadline) {
        return Future.succeededFuture(withAttempts(answer, attempt));
      }
      if (answer.notSent()) {
        metrics.stripeRetry(resource, "not_sent");
      } else {
        metrics.stripeRetry(resource, status);
      }
      LOG.log(System.Logger.Level.INFO, "call {0} ({1} {2}): {3}, retry {4} of {5} in {6} ms",
          call.callId(), call.method(), call.path(), answer.notSent() ? "not sent (rate budget)"
              : answer.httpStatus() == null ? "no answer" : "HTTP " + answer.httpStatus(),
          attempt, options.maxAttempts() - 1, delay);
      return vertx.timer(delay).compose(waited -> attempt(call, attempt + 1, deadline));
    });
  }

  /** The metrics label of a path: its first segment after {@code /v1/}, e.g. {@code payment_intents}. */
  static String resourceOf(String path) {
    String rest = path.startsWith("/v1/") ? path.substring(4) : path;
    int slash = rest.indexOf('/');
    String first = slash < 0 ? rest : rest.substring(0, slash);
    return first.isEmpty() ? "unknown" : first;
  }

  /** Exponential from {@code retryDelayMs}, capped, with jitter in [50%, 100%]; at least Retry-After. */
  long delayMs(int attempt, Long retryAfterSeconds) {
    double base = Math.min((double) options.maxRetryDelayMs(), options.retryDelayMs() * Math.pow(2, attempt - 1));
    long jittered = Math.max(1, Math.round(base * (0.5 + random.getAsDouble() / 2)));
    return retryAfterSeconds == null ? jittered : Math.max(jittered, retryAfterSeconds * 1000);
  }

  private static StripeAnswer withAttempts(StripeAnswer answer, int attempts) {
    if (answer.success() || !(answer.body() instanceof JsonObject envelope)) {
      return answer;
    }
    return new StripeAnswer(false, answer.httpStatus(), envelope.copy().put("attempts", attempts), answer.requestId(),
        answer.retryable(), answer.retryAfterSeconds());
  }
}
