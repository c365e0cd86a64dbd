package io.flowpay.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TurnsTest {

  @Test
  void atMostSoManyRunAtOnceAndTheRestStartInTheOrderTheyCame() {
    Turns turns = new Turns(2);
    List<Integer> started = new ArrayList<>();
    List<Promise<String>> running = new ArrayList<>();
    List<Future<String>> results = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      int work = i;
      results.add(turns.run(() -> {
        started.add(work);
        Promise<String> promise = Promise.promise();
        running.add(promise);
        return promise.future();
      }));
    }
    assertEquals(List.of(0, 1), started);
    assertEquals(3, turns.waiting());

    running.get(1).fail("Redis refused the commit");
    assertEquals(List.of(0, 1, 2), started, "a failed piece of work ends its turn too");
    assertTrue(results.get(1).failed());
    running.get(0).complete("zero");
    running.get(2).complete("two");
    assertEquals(List.of(0, 1, 2, 3, 4), started);
    running.get(3).complete("three");
    running.get(4).complete("four");

    assertEquals("zero", results.get(0).result());
    assertEquals(0, turns.taken());
    assertEquals(0, turns.waiting());
  }

  @Test
  void workThatThrowsEndsItsTurn() {
    Turns turns = new Turns(1);
    Future<String> thrown = turns.run(() -> {
      throw new IllegalStateException("cannot encode");
    });
    Future<String> next = turns.run(() -> Future.succeededFuture("next"));

    assertTrue(thrown.failed());
    assertEquals("next", next.result());
    assertEquals(0, turns.taken());
  }

  /** Random completions and failures, in random order: never more than the limit under way, nothing left behind. */
  @Test
  void noTurnIsLostWhateverOrderWorkEndsIn() {
    for (long seed = 1; seed <= 50; seed++) {
      Random random = new Random(seed);
      int most = 1 + random.nextInt(4);
      Turns turns = new Turns(most);
      List<Promise<Integer>> running = new ArrayList<>();
      int submitted = 20 + random.nextInt(40);
      List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < submitted; i++) {
        results.add(turns.run(() -> {
          Promise<Integer> promise = Promise.promise();
          running.add(promise);
          return promise.future();
        }));
        assertTrue(turns.taken() <= most, "seed " + seed);
      }
      while (!running.isEmpty()) {
        Promise<Integer> ending = running.remove(random.nextInt(running.size()));
        if (random.nextBoolean()) {
          ending.complete(1);
        } else {
          ending.fail("failed");
        }
        assertTrue(turns.taken() <= most, "seed " + seed);
        assertEquals(Math.min(most, turns.taken() + turns.waiting()), turns.taken(),
            "seed " + seed + ": a free turn while work waits");
      }
      assertEquals(0, turns.taken(), "seed " + seed);
      assertEquals(0, turns.waiting(), "seed " + seed);
      assertTrue(results.stream().allMatch(Future::isComplete), "seed " + seed + ": every piece of work ran");
    }
  }
}
