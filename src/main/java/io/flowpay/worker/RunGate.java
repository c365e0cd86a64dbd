package io.flowpay.worker;

import io.flowpay.queue.Delivery;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Where admitted deliveries wait to enter their context lanes: in order, so that one that must run
 * alone ({@link Admission.Mode#RUN_ALONE}) starts only once no other run of the worker is under way,
 * and everything admitted after it waits behind it (order per context is kept). Remembers how each
 * delivery was admitted until its run starts. Used from the worker's event loop only.
 */
final class RunGate {

  private final ArrayDeque<Gated> waiting = new ArrayDeque<>();
  private final Map<String, Admission.Mode> modes = new HashMap<>();
  private final ContextLanes lanes;
  private boolean aloneRunning;

  RunGate(ContextLanes lanes) {
    this.lanes = lanes;
  }

  /** Admits a delivery that is to run ({@code mode} is not {@link Admission.Mode#PARK}). */
  void admit(Delivery delivery, Admission.Mode mode) {
    waiting.add(new Gated(delivery, mode));
    open();
  }

  /** A run ended: what waited for it may start. */
  void finished() {
    if (aloneRunning && lanes.held() == 0) {
      aloneRunning = false;
    }
    open();
  }

  /** How {@code delivery} was admitted; asked once, when its run starts. */
  Admission.Mode modeOf(Delivery delivery) {
    return modes.remove(delivery.entryId());
  }

  /** Deliveries waiting here (not yet in a lane). */
  int waiting() {
    return waiting.size();
  }

  /** True while reading more would let new tasks overtake those waiting, or run beside one that runs alone. */
  boolean holdsReads() {
    return !waiting.isEmpty() || aloneRunning;
  }

  private void open() {
    while (!waiting.isEmpty() && !aloneRunning) {
      Gated next = waiting.peek();
      if (next.mode() == Admission.Mode.RUN_ALONE) {
        if (lanes.held() > 0) {
          return;
        }
        aloneRunning = true;
      }
      waiting.poll();
      modes.put(next.delivery().entryId(), next.mode());
      lanes.submit(next.delivery());
    }
  }

  private record Gated(Delivery delivery, Admission.Mode mode) {}
}
