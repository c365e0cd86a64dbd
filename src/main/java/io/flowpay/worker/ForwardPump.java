package io.flowpay.worker;

import io.flowpay.queue.ForwardTail;
import io.flowpay.queue.Forwarded;

/**
 * Relays the worker's forward stream ({@link io.flowpay.queue.ForwardRelay}) through its {@link ForwardTail}: at
 * once after a commit that wrote to it ({@link #written}: the entries the commit answered with, applied without
 * reading the stream when nothing else came before them), and on start and every {@code timerPollMs} without such
 * a commit by reading the whole stream (what a dead process left, an operator's repair or a parked task wrote, a
 * relay that failed).
 * One relay at a time, so entries go out in the stream's order. Used from the worker's event loop only.
 */
final class ForwardPump {

  private static final System.Logger LOG = System.getLogger(ForwardPump.class.getName());

  private final WorkerScope scope;
  private final ForwardTail tail;
  private boolean relaying;
  private boolean again;
  private boolean stopping;
  /** Whether a commit wrote to the stream since the last tick of the timer. */
  private boolean busy;
  private long timer = -1;

  ForwardPump(WorkerScope scope) {
    this.scope = scope;
    this.tail = scope.queue().forwardTail(scope.workerId());
  }

  void start(long pollMs) {
    timer = scope.vertx().setPeriodic(pollMs, id -> tick());
    scan();
  }

  /**
   * Reads the whole stream unless a commit wrote to it since the last tick, or a relay is under way: then there is
   * no need, as an entry someone else wrote comes before that commit's (or the next one's), whose relay then reads
   * the stream from what is applied; a relay that failed reads it the next time. Not while a relay is under way:
   * under load one relay outlasts ticks, and a tick that found no commit in its period made every next relay read
   * the whole stream (at 10,000 in flight every relay did, over thousands of entries not removed yet).
   */
  private void tick() {
    if (busy || relaying) {
      busy = false;
    } else {
      scan();
    }
  }

  /** No more relays after the one under way (if any). */
  void stop() {
    stopping = true;
    scope.vertx().cancelTimer(timer);
  }

  /**
   * On a graceful stop, once runs are drained: relays what their commits forwarded and removes what was relayed (best
   * effort, so that other workers get it now rather than when this worker id is served again), then stops.
   */
  io.vertx.core.Future<?> finish() {
    scope.vertx().cancelTimer(timer);
    if (relaying || scope.lease().lost()) {
      stopping = true;
      return io.vertx.core.Future.succeededFuture();
    }
    stopping = true;
    return tail.relay().compose(relayed -> tail.flush()).otherwiseEmpty();
  }

  /** A commit wrote to the forward stream: relays its entries (after the relay under way, if any). */
  void written(Forwarded forwarded) {
    busy = true;
    tail.written(forwarded);
    poke();
  }

  /** Reads and relays the whole stream. */
  private void scan() {
    tail.scan();
    poke();
  }

  /**
   * Starts a relay once the event loop is done with what it is doing (a group commit's answer tells of many runs'
   * entries at once: one relay takes them all), or once more right after the relay under way.
   */
  private void poke() {
    if (stopping || scope.lease().lost()) {
      return;
    }
    if (relaying) {
      again = true;
      return;
    }
    relaying = true;
    scope.vertx().runOnContext(now -> relay());
  }

  private void relay() {
    again = false;
    if (stopping || scope.lease().lost()) {
      relaying = false;
      return;
    }
    tail.relay()
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
