package io.flowpay.worker;

import io.flowpay.queue.Fences;
import io.vertx.core.Future;
import java.util.function.Consumer;

/**
 * Whether this worker still holds its worker id's lease ({@link WorkerPool}). Every write it does is
 * fenced by the lease in Redis; once a write comes back refused as fenced, or the pool could not renew
 * the lease, the lease is lost for good here: every unit stops writing, reading and sending for the
 * worker id, and the new holder claims and runs what was left. Used from the worker's event loop only.
 */
final class LeaseGuard {

  private final String workerId;
  private boolean lost;
  private Consumer<String> onLost = why -> { };

  LeaseGuard(String workerId) {
    this.workerId = workerId;
  }

  /** Who is told, once, when the lease is found lost. */
  void onLost(Consumer<String> listener) {
    onLost = listener;
  }

  boolean lost() {
    return lost;
  }

  /** The lease is lost ({@code why}): said once, to the listener. */
  void lose(String why) {
    if (!lost) {
      lost = true;
      onLost.accept(why);
    }
  }

  /** Whether {@code error} is a write refused because the lease is lost; if so, the lease is lost here. */
  boolean fencedBy(Throwable error) {
    if (!Fences.isFenced(error)) {
      return false;
    }
    lose("a write was refused: " + error.getMessage());
    return true;
  }

  /** What a step that must not write after the lease was lost answers instead. */
  <T> Future<T> refused() {
    return Future.failedFuture(new IllegalStateException(Fences.FENCED + " worker " + workerId + ": lease lost"));
  }
}
