package io.flowpay.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlacementTest {

  private static final List<String> EIGHT = List.of("w0", "w1", "w2", "w3", "w4", "w5", "w6", "w7");

  @Test
  void aContextAlwaysLandsOnTheSameWorkerWhateverTheOrderOfIds() {
    List<String> shuffled = new ArrayList<>(EIGHT);
    Collections.reverse(shuffled);
    for (int i = 0; i < 500; i++) {
      String context = "order:" + i;
      String worker = Placement.workerFor(context, EIGHT);
      assertTrue(EIGHT.contains(worker));
      assertEquals(worker, Placement.workerFor(context, EIGHT), "same answer twice");
      assertEquals(worker, Placement.workerFor(context, shuffled), "same answer for the ids in another order");
    }
  }

  @Test
  void contextsSpreadOverEveryWorker() {
    Map<String, Integer> perWorker = new HashMap<>();
    for (int i = 0; i < 8_000; i++) {
      perWorker.merge(Placement.workerFor("ctx-" + i, EIGHT), 1, Integer::sum);
    }
    assertEquals(8, perWorker.size(), "every worker gets contexts: " + perWorker);
    perWorker.values().forEach(count -> assertTrue(count > 500 && count < 1_500, "roughly 1/8 each: " + perWorker));
  }

  @Test
  void addingAWorkerMovesContextsOnlyToIt() {
    List<String> nine = new ArrayList<>(EIGHT);
    nine.add("w8");
    int moved = 0;
    for (int i = 0; i < 9_000; i++) {
      String before = Placement.workerFor("ctx-" + i, EIGHT);
      String after = Placement.workerFor("ctx-" + i, nine);
      if (!before.equals(after)) {
        assertEquals("w8", after, "a context that moves, moves to the new worker");
        moved++;
      }
    }
    assertTrue(moved > 500 && moved < 1_500, "about 1/9 of the contexts move: " + moved);
  }

  @Test
  void noWorkersIsAClearError() {
    assertThrows(IllegalArgumentException.class, () -> Placement.workerFor("ctx-1", List.of()));
  }
}
