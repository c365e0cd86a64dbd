package io.flowpay.worker;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.function.Supplier;

/**
 * At most so many pieces of work under way at once; the rest wait their turn, in the order they came. A turn
 * ends when its work's future completes, succeeded or failed. Used from one event loop only, so it needs no locks.
 */
final class Turns {

  private final int most;
  private final ArrayDeque<Promise<Void>> waiting = new ArrayDeque<>();
  private int taken;

  Turns(int most) {
    this.most = most;
  }

  /** Runs {@code work} once a turn is free; its turn ends when its future completes (or it throws). */
  <T> Future<T> run(Supplier<Future<T>> work) {
    return take().compose(turn -> work.get()).andThen(done -> end());
  }

  /** Work under way. */
  int taken() {
    return taken;
  }

  /** Work waiting for a turn. */
  int waiting() {
    return waiting.size();
  }

  private Future<Void> take() {
    if (taken < most) {
      taken++;
      return Future.succeededFuture();
    }
    Promise<Void> turn = Promise.promise();
    waiting.add(turn);
    return turn.future();
  }

  private void end() {
    Promise<Void> next = waiting.poll();
    if (next == null) {
      taken--;
    } else {
      next.complete();  // the turn passes on: taken stays
    }
  }
}
