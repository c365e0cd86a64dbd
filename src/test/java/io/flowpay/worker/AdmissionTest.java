package io.flowpay.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.config.WorkerOptions;
import io.flowpay.flow.Caller;
import io.flowpay.flow.Task;
import io.flowpay.queue.Delivery;
import io.vertx.core.json.JsonObject;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AdmissionTest {

  private static final WorkerOptions OPTIONS = new WorkerOptions().withLimits(3, 5, 3);
  private static final Task TASK = Task.main("pay", "w1", "order-1", Caller.CLI, new JsonObject());

  @Test
  void claimsAloneNeverParkWhateverTheirNumber() {
    Random random = new Random(42);
    for (int i = 0; i < 1_000; i++) {
      long deliveries = 1 + random.nextInt(10_000);
      long runs = random.nextInt(100);
      long solo = random.nextInt(OPTIONS.maxDeliveries());
      Admission.Decision decision = Admission.decide(delivery(deliveries, Math.max(runs, solo), solo), OPTIONS);
      assertTrue(decision.mode() != Admission.Mode.PARK, deliveries + " deliveries, " + runs + " runs, " + solo + " alone");
    }
  }

  @Test
  void aFirstDeliveryRunsUnrecordedAnotherIsRecordedAndASuspectRunsAlone() {
    assertEquals(Admission.Mode.RUN, Admission.decide(delivery(1, 0, 0), OPTIONS).mode());
    assertEquals(Admission.Mode.RUN_RECORDED, Admission.decide(delivery(7, 0, 0), OPTIONS).mode());
    assertEquals(Admission.Mode.RUN_RECORDED, Admission.decide(delivery(3, 1, 0), OPTIONS).mode(),
        "one death is what every run in flight sees when a process is killed once");
    assertEquals(Admission.Mode.RUN_ALONE, Admission.decide(delivery(4, 2, 0), OPTIONS).mode());
    assertEquals(Admission.Mode.RUN_ALONE, Admission.decide(delivery(9, 4, 2), OPTIONS).mode());
  }

  @Test
  void runsThatDiedAloneMaxDeliveriesTimesPark() {
    Admission.Decision decision = Admission.decide(delivery(6, 5, 3), OPTIONS);
    assertEquals(Admission.Mode.PARK, decision.mode());
    assertEquals(Admission.ParkReason.DELIVERIES, decision.reason());
    assertTrue(decision.error().contains("worker.maxDeliveries is 3"), decision.error());
  }

  @Test
  void unreadableAndTooDeepPark() {
    assertEquals(Admission.ParkReason.UNREADABLE,
        Admission.decide(new Delivery("w1", "1-0", null, "{not json", 1), OPTIONS).reason());
    Task deep = new Task("t", "pay", "w1", "c", Caller.FLOW, null, null, "ch", "p", 6, 1, 0, null);
    assertEquals(Admission.ParkReason.DEPTH, Admission.decide(new Delivery("w1", "1-0", deep, "", 1), OPTIONS).reason());
  }

  private static Delivery delivery(long deliveries, long runs, long solo) {
    return new Delivery("w1", "1-0", TASK, "", deliveries, runs, solo);
  }
}
