package io.flowpay.bench;

import com.stripe.exception.StripeException;
import com.stripe.model.PaymentIntent;
import com.stripe.net.RequestOptions;
import com.stripe.param.PaymentIntentCreateParams;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * stripe-java as most people call Stripe: blocking {@code PaymentIntent.create} on a fixed pool with
 * one thread per operation in flight, against the same stand-in. No script, no queue. The stand-in's
 * URL and a fake key go in per-request {@link RequestOptions}, so no static Stripe setting changes.
 */
final class StripeJavaLoad implements Load {

  private static final long DRAIN_MS = 30_000;

  private final RequestOptions options;
  private ExecutorService pool;
  private ClosedLoop loop;

  StripeJavaLoad(String stripeBase) {
    options = RequestOptions.builder().setApiKey("sk_test_flowpay_bench").setBaseUrl(stripeBase).build();
  }

  @Override
  public void start(int inFlight, Recorder recorder) {
    AtomicInteger threads = new AtomicInteger();
    pool = Executors.newFixedThreadPool(inFlight, work -> {
      Thread thread = new Thread(work, "bench-stripe-java-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    loop = new ClosedLoop(inFlight, recorder, slot -> pool.execute(() -> create(slot)));
    loop.start();
  }

  private void create(int slot) {
    PaymentIntentCreateParams params = PaymentIntentCreateParams.builder()
        .setAmount(2000L).setCurrency("usd").putMetadata("order_id", "slot-" + slot).build();
    boolean ok;
    try {
      ok = PaymentIntent.create(params, options).getId() != null;
    } catch (StripeException | RuntimeException e) {
      ok = false;
    }
    loop.done(slot, ok);
  }

  @Override
  public void stop() {
    loop.drain(DRAIN_MS, "stripe-java");
    pool.shutdown();
    try {
      pool.awaitTermination(DRAIN_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
