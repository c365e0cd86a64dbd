package io.flowpay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.failure.FlowpayFailure;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerIdsTest {

  @Test
  void rangesExpandInOrderAndIdsStayAsWritten() {
    assertEquals(List.of("w0", "w1", "w2", "x", "pay-10-eu", "pay-11-eu"),
        WorkerIds.expand(List.of("w{0..2}", "x", "pay-{10..11}-eu", "w1")));
  }

  @Test
  void badRangesAndIdsNameTheFix() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> WorkerIds.expand(List.of("w{3..1}")))
        .getMessage().contains("first <= last"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> WorkerIds.expand(List.of("w 1")))
        .getMessage().contains("invalid worker id 'w 1'"));
  }

  @Test
  void configWorkersTakeRangesAndLeaseTtl() {
    FlowpayOptions options = new FlowpayOptions(new JsonObject("{\"workers\": [\"w{0..15}\"],"
        + " \"worker\": {\"leaseTtlMs\": 3000}}"));
    assertEquals(16, options.workers().size());
    assertEquals("w15", options.workers().get(15));
    assertEquals(3_000, options.worker().leaseTtlMs());
    assertEquals(WorkerOptions.DEFAULT_LEASE_TTL_MS, new FlowpayOptions().worker().leaseTtlMs());
    FlowpayFailure tooShort = assertThrows(FlowpayFailure.class,
        () -> new FlowpayOptions(new JsonObject("{\"worker\": {\"leaseTtlMs\": 10}}")));
    assertTrue(tooShort.getMessage().contains("leaseTtlMs"), tooShort.getMessage());
  }
}
