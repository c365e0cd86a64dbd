package io.flowpay.worker;

import io.flowpay.config.WorkerOptions;
import io.flowpay.flow.Task;
import io.flowpay.queue.Delivery;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether a delivery runs, and how, or is parked in the dead-letter stream instead. Pure.
 *
 * <p>A claim is not a run: a task handed out again after its process died may never have started
 * (the process died at start, or while other tasks ran). So a task delivered again has its runs
 * recorded; one whose earlier runs died {@link #SUSPECT_AFTER} times is a <i>suspect</i> and runs
 * alone, so that if its process dies again it is known that this run killed it. Only runs that died alone count toward
 * {@code worker.maxDeliveries}: a crash loop that kills the process before any run commits parks
 * nothing, and a task whose run kills its process every time is still parked.
 */
final class Admission {

  /**
   * Recorded runs that died before a task runs alone. One death is what every task in flight sees when
   * a process is killed once (a deploy, one crash): recovery then runs them side by side as before.
   */
  static final int SUSPECT_AFTER = 2;

  /** Why a delivery is parked rather than run: the dead letter's {@code reason}. */
  enum ParkReason {
    UNREADABLE("unreadable"),
    DELIVERIES("deliveries"),
    DEPTH("depth"),
    FLOW_DISABLED("flow_disabled");

    private final String code;

    ParkReason(String code) {
      this.code = code;
    }

    String code() {
      return code;
    }
  }

  enum Mode {
    /** First delivery: nothing recorded (no Redis write on the hot path). */
    RUN,
    /** Delivered again: the run is recorded before it starts. */
    RUN_RECORDED,
    /** A run of it died before: recorded, and run with no other run of the worker beside it. */
    RUN_ALONE,
    PARK
  }

  /** The decision; {@code reason} and {@code error} are set when parked. */
  record Decision(Mode mode, ParkReason reason, String error) {

    static final Decision RUN = new Decision(Mode.RUN, null, null);
    static final Decision RUN_RECORDED = new Decision(Mode.RUN_RECORDED, null, null);
    static final Decision RUN_ALONE = new Decision(Mode.RUN_ALONE, null, null);

    static Decision park(ParkReason reason, String error) {
      return new Decision(Mode.PARK, reason, error);
    }
  }

  private Admission() {}

  /**
   * Claimed deliveries in the order to admit them: contexts whose first delivery died alone the
   * fewest times first, each context's deliveries in stream order (order per context is kept; contexts
   * are independent). In a crash loop the suspect running alone when the process dies is then not the
   * same one every time: a healthy task is not parked for dying with a process that died anyway.
   */
  static List<Delivery> fewestDeathsFirst(List<Delivery> claimed) {
    Map<String, List<Delivery>> byContext = new LinkedHashMap<>();
    for (Delivery delivery : claimed) {
      String context = delivery.task() == null ? "\u0000" + delivery.entryId() : delivery.task().contextId();
      byContext.computeIfAbsent(context, key -> new ArrayList<>()).add(delivery);
    }
    List<List<Delivery>> lanes = new ArrayList<>(byContext.values());
    lanes.sort(Comparator.comparingLong(lane -> lane.get(0).soloRuns()));
    return lanes.stream().flatMap(List::stream).toList();
  }

  static Decision decide(Delivery delivery, WorkerOptions options) {
    Task task = delivery.task();
    if (task == null) {
      return Decision.park(ParkReason.UNREADABLE, "the stream entry is not a task Flowpay can read");
    }
    if (task.depth() > options.maxDepth()) {
      return Decision.park(ParkReason.DEPTH, "chain depth " + task.depth() + " is past worker.maxDepth ("
          + options.maxDepth() + "): flows keep starting flows; look for a loop that reaches " + task.flow());
    }
    if (delivery.soloRuns() >= options.maxDeliveries()) {
      return Decision.park(ParkReason.DELIVERIES, "its run was started " + delivery.soloRuns() + " times with no other"
          + " run beside it, and each time its process died before the commit (worker.maxDeliveries is "
          + options.maxDeliveries() + "): look at the worker's log for flow " + task.flow()
          + " (out of memory? a crash in native code?)");
    }
    if (delivery.deliveries() <= 1) {
      return Decision.RUN;
    }
    return delivery.runsStarted() >= SUSPECT_AFTER ? Decision.RUN_ALONE : Decision.RUN_RECORDED;
  }
}
