package io.flowpay.worker;

import io.flowpay.flow.Call;
import io.flowpay.metrics.FlowMetrics;
import io.flowpay.queue.ReplicaAck;
import io.flowpay.stripe.StripeAccount;
import io.flowpay.stripe.StripeAnswer;
import io.flowpay.stripe.StripeClient;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code redis.waitReplicas}: a committed call is sent only once that many replicas acknowledged the commit
 * that put it in the outbox ({@link ReplicaAck}), so a failover cannot lose an outbox entry whose call already
 * went out (which would leave a charge at Stripe that no flow hears of). A worker sends a call only after
 * its commit succeeded, so waiting here, in front of the sender, waits after every commit and before its calls.
 *
 * <p>Availability wins after {@code redis.waitTimeoutMs}: with fewer replicas than asked (one is down, or a
 * failover left the new primary without any) the call is sent anyway, counted in
 * {@code flowpay_redis_wait_shortOfReplicastotal}, and said once in the log until acknowledgements come back.
 */
final class ReplicatedSends implements StripeClient {

  private static final System.Logger LOG = System.getLogger(ReplicatedSends.class.getName());

  private final ReplicaAck ack;
  private final StripeClient inner;
  private final FlowMetrics metrics;
  private final AtomicBoolean shortOfReplicas = new AtomicBoolean();

  ReplicatedSends(ReplicaAck ack, StripeClient inner, FlowMetrics metrics) {
    this.ack = ack;
    this.inner = inner;
    this.metrics = metrics;
  }

  @Override
  public Future<StripeAnswer> send(Call call) {
    long started = System.nanoTime();
    return ack.acknowledged()
        .map(replicas -> noted(replicas, null, started))
        .recover(error -> Future.succeededFuture(noted(0, error.getMessage(), started)))
        .compose(noted -> inner.send(call));
  }

  @Override
  public StripeAccount account() {
    return inner.account();
  }

  private boolean noted(int replicas, String error, long started) {
    boolean enough = replicas >= ack.replicas();
    metrics.replicaWait(Duration.ofNanos(System.nanoTime() - started), enough);
    if (!enough && shortOfReplicas.compareAndSet(false, true)) {
      LOG.log(System.Logger.Level.WARNING, "redis.waitReplicas: {0} of {1} replica(s) acknowledged within"
              + " redis.waitTimeoutMs{2}; calls are sent anyway (a failover now may lose their outbox entries)"
              + " until replicas catch up", replicas, ack.replicas(), error == null ? "" : " (" + error + ")");
    } else if (enough && shortOfReplicas.compareAndSet(true, false)) {
      LOG.log(System.Logger.Level.INFO, "redis.waitReplicas: {0} replica(s) acknowledge again", replicas);
    }
    return enough;
  }
}
