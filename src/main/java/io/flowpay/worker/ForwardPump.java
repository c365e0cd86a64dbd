package io.flowpay.worker;

/**
 * Relays the worker's forward stream ({@link io.flowpay.queue.ForwardRelay}): at once after a commit that
 * wrote to it ({@link #poke}), on start (what a dead process left), and every {@code timerPollMs} in case a
 * relay failed. One relay at a time, so entries go out in the stream's order. Used from the worker's event
 * loop only.
 */
final class ForwardPump {

  private static final System.Logger LOG = System.getLogger(ForwardPump.class.getName());

  private final WorkerScope scope;
  private boolean relaying;
  private boolean again;
  private boolean stopping;
  private long timer = -1;

  ForwardPump(WorkerScope scope) {
    this.scope = scope;
  }

  void start(long pollMs) {
    timer = scope.vertx().setPeriodic(pollMs, id -> poke());
    poke();
  }

  /** No more relays after the one under way (if any). */
  void stop() {
    stopping = true;
    scope.vertx().cancelTimer(timer);
  }

  /**
   * On a graceful stop, once runs are drained: relays what their commits forwarded (best effort, so that
   * other workers get it now rather than when this worker id is served again), then stops.
   */
  io.vertx.core.Future<?> finish() {
    scope.vertx().cancelTimer(timer);
    if (relaying || scope.lease().lost()) {
      stopping = true;
      return io.vertx.core.Future.succeededFuture();
    }
    stopping = true;
    return scope.queue().relayForwards(scope.workerId()).otherwiseEmpty();
  }

  /** Relays what the forward stream holds now; when a relay is under way, once more right after it. */
  void poke() {
    if (stopping || scope.lease().lost()) {
      return;
    }
    if (relaying) {
      again = true;
      return;
    }
    relaying = true;
    again = false;
    scope.queue().relayForwards(scope.workerId())
        .onFailure(error -> LOG.log(System.Logger.Level.DEBUG, "worker {0}: forward entries not relayed yet ({1})",
            scope.workerId(), error.getMessage()))
        .onComplete(done -> {
          relaying = false;
          if (again) {
            poke();
          }
        });
  }
}
