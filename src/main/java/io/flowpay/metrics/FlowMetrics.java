package io.flowpay.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Flowpay's meters, kept in one Prometheus registry that {@code GET /metrics} serves. A
 * {@link Vertx} built with {@link #newVertx()} records Vert.x's own meters (HTTP server requests by
 * route, Redis and HTTP client pools, event loops) in the same registry. One instance per node: no
 * global registry, so several nodes in one JVM (tests) never mix their numbers.
 *
 * <p>Labels are low-cardinality on purpose: flow names, worker ids, Stripe resources, event types,
 * statuses; never a context, task or object id.
 */
public final class FlowMetrics {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /**
   * A Vertx whose own metrics (HTTP server by route, HTTP and Redis clients, pools, JVM) go into this
   * registry. Known Vert.x 5.0 / Micrometer 1.15 quirk: when several clients of one kind exist (a node
   * has several Redis clients), Micrometer keeps only the first one's gauges and logs one warning
   * "This Gauge has been already registered"; only gauges are affected.
   */
  public Vertx newVertx() {
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        .addLabels(Label.HTTP_ROUTE);
    return Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(metrics))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
  }

  /** The registry as Prometheus text (what {@code /metrics} answers). */
  public String scrape() {
    return registry.scrape();
  }

  /**
   * A run was committed: {@code flowpay_runs_total{flow,status}} and
   * {@code flowpay_run_duration_seconds{flow}} (script time, from start to return).
   *
   * @param status the run record's status: {@code ok}, {@code failed}, {@code timed_out}, {@code dead}
   */
  public void runFinished(String flow, String status, Duration took) {
    Counter.builder("flowpay.runs").description("Runs committed, by flow and status")
        .tag("flow", flow).tag("status", status).register(registry).increment();
    Timer.builder("flowpay.run.duration").description("Time a flow script ran")
        .tag("flow", flow).register(registry).record(took);
  }

  /**
   * A chain was started from outside: {@code flowpay_runs_started_total{flow,caller}}.
   *
   * @param caller {@code api}, {@code webhook} or {@code cli}
   */
  public void runStarted(String flow, String caller) {
    Counter.builder("flowpay.runs.started").description("Chains started from outside, by flow and caller")
        .tag("flow", flow).tag("caller", caller).register(registry).increment();
  }

  /**
   * One HTTP exchange with Stripe ended (each attempt counts):
   * {@code flowpay_stripe_calls_total{resource,status}} and {@code flowpay_stripe_call_duration_seconds{resource}}.
   *
   * @param resource e.g. {@code payment_intents}, {@code customers}, {@code request} for {@code stripe.request}
   * @param httpStatus Stripe's status code, or 0 when there was no answer (connection failure, timeout)
   */
  public void stripeCall(String resource, int httpStatus, Duration took) {
    Counter.builder("flowpay.stripe.calls").description("HTTP exchanges with Stripe, by resource and status")
        .tag("resource", resource).tag("status", httpStatus == 0 ? "no_answer" : String.valueOf(httpStatus))
        .register(registry).increment();
    Timer.builder("flowpay.stripe.call.duration").description("Time one HTTP exchange with Stripe took")
        .tag("resource", resource).register(registry).record(took);
  }

  /**
   * A Stripe call is being retried: {@code flowpay_stripe_retries_total{resource,status}}.
   *
   * @param httpStatus the answer that made it retry, 0 when there was none
   */
  public void stripeRetry(String resource, int httpStatus) {
    stripeRetry(resource, httpStatus == 0 ? "no_answer" : String.valueOf(httpStatus));
  }

  /** As {@link #stripeRetry(String, int)}, with the cause as its label: a status, {@code no_answer} or {@code not_sent}. */
  public void stripeRetry(String resource, String cause) {
    Counter.builder("flowpay.stripe.retries").description("Stripe calls retried, by resource and the status that caused it")
        .tag("resource", resource).tag("status", cause)
        .register(registry).increment();
  }

  /**
   * A call took a token of the fleet's Stripe rate budget after waiting this long (0 when one was left):
   * {@code flowpay_stripe_rate_wait_seconds}.
   */
  public void stripeRateWait(Duration waited) {
    Timer.builder("flowpay.stripe.rate.wait").description("Time calls waited for a token of the fleet's Stripe rate budget")
        .register(registry).record(waited);
  }

  /**
   * A call was not sent for the rate budget, or went without a token: {@code flowpay_stripe_rate_refused_total{reason}}.
   *
   * @param reason {@code wait_too_long}, {@code queue_full}, {@code late_token} (the process came to its token too
   *     late, after a stall, and took another), or {@code budget_unreachable} (sent without a token)
   */
  public void stripeRateRefused(String reason) {
    Counter.builder("flowpay.stripe.rate.refused").description("Calls held back by the rate budget, or sent without a token")
        .tag("reason", reason).register(registry).increment();
  }

  /** Stripe answered 429 (rate limited) to an attempt: {@code flowpay_stripe_429_total{resource}}. */
  public void stripe429(String resource) {
    Counter.builder("flowpay.stripe.429").description("Attempts Stripe answered 429 (too many requests), by resource")
        .tag("resource", resource).register(registry).increment();
  }

  /**
   * Autoscaler signals of one worker: tasks in its stream not yet run (delivered but pending, and not yet read),
   * and how long the oldest of them has waited: {@code flowpay_worker_queue_length{worker}} and
   * {@code flowpay_worker_oldest_task_age_seconds{worker}}.
   */
  public void workerQueue(String worker, long length, long oldestAgeMs) {
    gauge("flowpay.worker.queue.length", "Tasks in a worker's stream not yet run (pending + unread)", worker)
        .set(length);
    gauges.computeIfAbsent("flowpay.worker.oldest.task.age|" + worker, key -> {
      AtomicLong value = new AtomicLong();
      Gauge.builder("flowpay.worker.oldest.task.age", value, ms -> ms.get() / 1000.0).baseUnit("seconds")
          .description("Age of the oldest task in a worker's stream not yet run").tag("worker", worker)
          .register(registry);
      return value;
    }).set(oldestAgeMs);
  }

  /**
   * A committed call waited for replicas to acknowledge its commit ({@code redis.waitReplicas}):
   * {@code flowpay_redis_wait_seconds}, and {@code flowpay_redis_wait_short_total} when fewer acknowledged than asked
   * within {@code redis.waitTimeoutMs} (the call went anyway).
   */
  public void replicaWait(Duration waited, boolean acknowledged) {
    Timer.builder("flowpay.redis.wait").description("Time committed calls waited for replicas to acknowledge the commit")
        .register(registry).record(waited);
    if (!acknowledged) {
      Counter.builder("flowpay.redis.wait.short").description("Calls sent with fewer replica acknowledgements than asked")
          .register(registry).increment();
    }
  }

  /** Time from enqueue to the start of the run: {@code flowpay_queue_lag_seconds{worker}}. */
  public void queueLag(String worker, Duration lag) {
    Timer.builder("flowpay.queue.lag").description("Time tasks waited in the stream before their run started")
        .tag("worker", worker).register(registry).record(lag.isNegative() ? Duration.ZERO : lag);
  }

  /**
   * An entry was parked in a dead-letter stream: {@code flowpay_dead_letters_total{worker,reason}}.
   *
   * @param reason {@code unreadable}, {@code deliveries}, {@code depth}, {@code flow_disabled}
   */
  public void deadLetter(String worker, String reason) {
    Counter.builder("flowpay.dead.letters").description("Entries parked in a dead-letter stream, by worker and reason")
        .tag("worker", worker).tag("reason", reason).register(registry).increment();
  }

  /**
   * A step in reconciling a call whose outcome at Stripe was unknown:
   * {@code flowpay_reconcile_total{worker,outcome}}.
   *
   * @param outcome {@code held} (its outcome turned out unknown), {@code resent}, {@code retrieved} or
   *     {@code found} (a definite answer, and how), {@code window_spent} (still unknown; error flow ran)
   */
  public void reconcile(String worker, String outcome) {
    Counter.builder("flowpay.reconcile").description("Calls whose outcome was unknown: held, reconciled (and how), given up")
        .tag("worker", worker).tag("outcome", outcome).register(registry).increment();
  }

  /**
   * Calls of a worker being reconciled now, and those whose outcome stayed unknown through the whole
   * window: {@code flowpay_calls_reconciling{worker}} and {@code flowpay_calls_unresolved{worker}}.
   */
  public void reconciling(String worker, long reconciling, long unresolved) {
    gauge("flowpay.calls.reconciling", "Calls whose outcome at Stripe is unknown, being reconciled", worker)
        .set(reconciling);
    gauge("flowpay.calls.unresolved", "Calls whose outcome stayed unknown through the reconcile window", worker)
        .set(unresolved);
  }

  /** Chains with a task parked in a dead-letter stream, waiting for an operator: {@code flowpay_chains_stuck}. */
  public void stuckChains(long stuck) {
    gauge("flowpay.chains.stuck", "Chains with a parked task (status stuck), waiting for an operator", null).set(stuck);
  }

  /**
   * A worker id's lease changed hands at this process: {@code flowpay_leases_total{worker,event}}, and
   * {@code flowpay_lease_held{worker}} (1 while this process serves the worker id, else 0).
   *
   * @param event {@code taken}, {@code released} (given up after draining) or {@code lost} (found held by
   *     another process, or not renewed in time: this process stopped serving the id at once)
   */
  public void lease(String worker, String event) {
    Counter.builder("flowpay.leases").description("Worker id leases taken, released and lost by this process")
        .tag("worker", worker).tag("event", event).register(registry).increment();
    gauge("flowpay.lease.held", "1 while this process holds the worker id's lease and serves it", worker)
        .set("taken".equals(event) ? 1 : 0);
  }

  private AtomicLong gauge(String name, String description, String worker) {
    return gauges.computeIfAbsent(name + "|" + worker, key -> {
      AtomicLong value = new AtomicLong();
      Gauge.Builder<AtomicLong> builder = Gauge.builder(name, value, AtomicLong::get).description(description);
      (worker == null ? builder : builder.tag("worker", worker)).register(registry);
      return value;
    });
  }

  /**
   * A Stripe webhook delivery was answered: {@code flowpay_webhook_events_total{type,outcome}}.
   *
   * @param type the event type, {@code unverified} when the signature did not verify
   * @param outcome {@code started}, {@code duplicate}, {@code unhandled} or {@code rejected}
   */
  public void webhookEvent(String type, String outcome) {
    Counter.builder("flowpay.webhook.events").description("Stripe webhook deliveries, by event type and outcome")
        .tag("type", type).tag("outcome", outcome).register(registry).increment();
  }
}
