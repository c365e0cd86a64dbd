package io.flowpay.metrics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The Prometheus names and labels each recording method produces: what dashboards and alerts are written against. */
class FlowMetricsTest {

  private final FlowMetrics metrics = new FlowMetrics();

  @Test
  void runsByFlowAndStatusWithDuration() {
    metrics.runFinished("main", "ok", Duration.ofMillis(3));
    metrics.runFinished("main", "ok", Duration.ofMillis(5));
    metrics.runFinished("main", "failed", Duration.ofMillis(1));

    assertScraped("flowpay_runs_total{flow=\"main\",status=\"ok\"} 2.0");
    assertScraped("flowpay_runs_total{flow=\"main\",status=\"failed\"} 1.0");
    assertScraped("flowpay_run_duration_seconds_count{flow=\"main\"} 3");
    assertScraped("flowpay_run_duration_seconds_sum{flow=\"main\"} 0.009");
  }

  @Test
  void stripeCallsAndRetriesByResourceAndStatus() {
    metrics.stripeCall("payment_intents", 200, Duration.ofMillis(40));
    metrics.stripeCall("payment_intents", 0, Duration.ofSeconds(30));
    metrics.stripeRetry("payment_intents", 429);

    assertScraped("flowpay_stripe_calls_total{resource=\"payment_intents\",status=\"200\"} 1.0");
    assertScraped("flowpay_stripe_calls_total{resource=\"payment_intents\",status=\"no_answer\"} 1.0");
    assertScraped("flowpay_stripe_call_duration_seconds_count{resource=\"payment_intents\"} 2");
    assertScraped("flowpay_stripe_retries_total{resource=\"payment_intents\",status=\"429\"} 1.0");
  }

  @Test
  void queueLagDeadLettersWebhooksAndStarts() {
    metrics.queueLag("w1", Duration.ofMillis(250));
    metrics.queueLag("w1", Duration.ofMillis(-5));
    metrics.deadLetter("w1", "deliveries");
    metrics.webhookEvent("payment_intent.succeeded", "started");
    metrics.runStarted("main", "api");

    assertScraped("flowpay_queue_lag_seconds_count{worker=\"w1\"} 2");
    assertScraped("flowpay_queue_lag_seconds_sum{worker=\"w1\"} 0.25");
    assertScraped("flowpay_dead_letters_total{reason=\"deliveries\",worker=\"w1\"} 1.0");
    assertScraped("flowpay_webhook_events_total{outcome=\"started\",type=\"payment_intent.succeeded\"} 1.0");
    assertScraped("flowpay_runs_started_total{caller=\"api\",flow=\"main\"} 1.0");
  }

  @Test
  void registriesAreNotShared() {
    new FlowMetrics().runStarted("main", "api");
    assertFalse(metrics.scrape().contains("flowpay_runs_started_total"), metrics.scrape());
  }

  private void assertScraped(String line) {
    String text = metrics.scrape();
    assertTrue(text.lines().anyMatch(line::equals), "missing line " + line + " in:\n" + text);
  }
}
