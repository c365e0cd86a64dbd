package io.flowpay.worker;

import io.flowpay.flow.Call;
import io.flowpay.queue.Delivery;
import io.vertx.core.Future;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Brings back what a dead process left behind. On start: the worker's calls committed and never
 * answered are sent again (with their idempotency keys), and all its unacknowledged tasks are
 * claimed. While running: tasks idle past {@code claimIdleMs} are claimed from consumers that went
 * away. Used from the worker's event loop only.
 */
final class Reclaimer {

  private static final System.Logger LOG = System.getLogger(Reclaimer.class.getName());

  private final WorkerScope scope;
  /** Entries the worker holds: never claimed again, since a claim counts as a delivery. */
  private final Set<String> held;
  private final Consumer<Delivery> admit;
  private final Consumer<Call> send;
  private boolean claiming;
  private boolean stopping;
  private long timer = -1;

  Reclaimer(WorkerScope scope, Set<String> held, Consumer<Delivery> admit, Consumer<Call> send) {
    this.scope = scope;
    this.held = held;
    this.admit = admit;
    this.send = send;
  }

  /** On start: re-sends the outbox, then claims every task left unacknowledged. */
  Future<Void> recover() {
    return scope.queue().outbox(scope.workerId())
        .onSuccess(this::resend)
        .compose(resent -> claim(0, "-"));
  }

  /**
   * Claims idle tasks every half {@code claimIdleMs} (at least every second). With leases, a pending entry
   * this process does not hold was left by a holder that is gone or fenced: it is claimed once idle for
   * the lease's TTL, not only after claimIdleMs.
   */
  void start() {
    long idleMs = Math.min(scope.options().claimIdleMs(), scope.options().leaseTtlMs());
    timer = scope.vertx().setPeriodic(Math.max(1_000, idleMs / 2), id -> claim(idleMs, "-"));
  }

  void stop() {
    stopping = true;
    scope.vertx().cancelTimer(timer);
  }

  /** Calls committed before a stop or crash and never answered: sent again with the same key. */
  private void resend(List<Call> calls) {
    if (!calls.isEmpty()) {
      LOG.log(System.Logger.Level.INFO, "worker {0}: re-sending {1} unanswered call(s) from the outbox",
          scope.workerId(), calls.size());
    }
    calls.forEach(send);
  }

  /**
   * Claims this worker's tasks that were handed out at least {@code minIdleMs} ago and never
   * acknowledged (all of them on start: whoever held them is gone), page by page.
   */
  private Future<Void> claim(long minIdleMs, String after) {
    if (claiming && "-".equals(after) || stopping) {
      return Future.succeededFuture();
    }
    claiming = true;
    return scope.queue().claim(scope.workerId(), minIdleMs, scope.options().readBatch(), after, held)
        .compose(claimed -> {
          admitClaimed(claimed.deliveries());
          return claimed.next().isEmpty() ? Future.<Void>succeededFuture() : claim(minIdleMs, claimed.next());
        })
        .onComplete(done -> claiming = false)
        .recover(error -> {
          if (scope.lease().fencedBy(error)) {
            return Future.failedFuture(error);
          }
          LOG.log(System.Logger.Level.WARNING, "worker {0}: could not claim unacknowledged tasks ({1}); will try again",
              scope.workerId(), error.getMessage());
          return Future.succeededFuture();
        });
  }

  private void admitClaimed(List<Delivery> deliveries) {
    if (!deliveries.isEmpty()) {
      LOG.log(System.Logger.Level.INFO, "worker {0}: claimed {1} task(s) left unacknowledged", scope.workerId(),
          deliveries.size());
    }
    Admission.fewestDeathsFirst(deliveries.stream()
        .filter(delivery -> !held.contains(delivery.entryId())).toList()).forEach(admit);
  }
}
