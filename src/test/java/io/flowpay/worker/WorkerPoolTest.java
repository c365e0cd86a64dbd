package io.flowpay.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {

  @Test
  void fairShareCoversEveryIdAmongTheLiveProcesses() {
    assertEquals(8, WorkerPool.share(8, 1));
    assertEquals(4, WorkerPool.share(8, 2));
    assertEquals(3, WorkerPool.share(8, 3), "3 + 3 + 2: every id has a holder");
    assertEquals(1, WorkerPool.share(1, 2), "one id, two processes: one serves, one stands by");
    assertEquals(1, WorkerPool.share(8, 20));
  }

  @Test
  void processesGivenTheSameIdsShareOnePool() {
    assertEquals(WorkerPool.name(List.of("w0", "w1", "w2")), WorkerPool.name(List.of("w2", "w0", "w1")));
    assertNotEquals(WorkerPool.name(List.of("w0", "w1")), WorkerPool.name(List.of("w0", "w1", "w2")));
  }
}
