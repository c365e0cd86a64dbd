package io.flowpay.worker;


/**
 * Moves the worker's due {@code flow.after} timers into its task stream every {@code timerPollMs},
 * a page at a time, at once again while pages come back full. Used from the worker's event loop only.
 */
final class TimerPump {

  private static final System.Logger LOG = System.getLogger(TimerPump.class.getName());
  private static final int TIMERS_PER_MOVE = 500;

  private final WorkerScope scope;
  private boolean moving;
  private boolean stopping;
  private long timer = -1;

  TimerPump(WorkerScope scope) {
    this.scope = scope;
  }

  void start(long pollMs) {
    timer = scope.vertx().setPeriodic(pollMs, id -> moveDue());
  }

  void stop() {
    stopping = true;
    scope.vertx().cancelTimer(timer);
  }

  private void moveDue() {
    if (moving || stopping) {
      return;
    }
    moving = true;
    scope.queue().moveDueTimers(scope.workerId(), TIMERS_PER_MOVE)
        .onComplete(done -> moving = false)
        .onSuccess(moved -> {
          if (moved == TIMERS_PER_MOVE) {
            scope.vertx().runOnContext(more -> moveDue());
          }
        })
        .onFailure(error -> {
          if (!scope.lease().fencedBy(error)) {
            LOG.log(System.Logger.Level.DEBUG, "worker {0}: timers not moved ({1})", scope.workerId(), error.getMessage());
          }
        });
  }
}
