package io.flowpay.worker;

import io.flowpay.queue.Delivery;
import io.vertx.core.Future;

/**
 * Parks a delivery that must not run in the worker's dead-letter stream (see {@link Admission}), and
 * forgets the runs recorded for an entry that is done with. Never fails: an entry not parked stays
 * pending and is claimed again.
 */
final class Parking {

  private static final System.Logger LOG = System.getLogger(Parking.class.getName());

  private final WorkerScope scope;

  Parking(WorkerScope scope) {
    this.scope = scope;
  }

  Future<Void> park(Delivery delivery, Admission.ParkReason reason, String error) {
    LOG.log(System.Logger.Level.ERROR, "worker {0}: entry {1} moved to the dead-letter stream: {2}",
        scope.workerId(), delivery.entryId(), error);
    return scope.retry()
        .retry(() -> scope.queue().deadLetter(delivery, reason.code(), error), RedisRetry.STEP_ATTEMPTS)
        .onSuccess(parked -> {
          if (parked) {
            scope.metrics().deadLetter(scope.workerId(), reason.code());
          }
          if (delivery.runsStarted() > 0) {
            forgetRuns(delivery);
          }
        })
        .<Void>mapEmpty()
        .recover(failed -> {
          LOG.log(System.Logger.Level.ERROR, "worker {0}: entry {1} not parked ({2}); it stays pending",
              scope.workerId(), delivery.entryId(), failed.getMessage());
          return Future.succeededFuture();
        });
  }

  /** Forgets the runs recorded for an entry that is done with (committed or parked). */
  void forgetRuns(Delivery delivery) {
    scope.queue().runsDone(delivery).onFailure(error -> LOG.log(System.Logger.Level.DEBUG,
        "worker {0}: runs of entry {1} not forgotten ({2})", scope.workerId(), delivery.entryId(),
        error.getMessage()));
  }
}
