package io.flowpay.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatcherTest {

  @Test
  void itemsThatComeWhileRequestsAreOnTheirWayGoTogether() {
    List<List<Integer>> sent = new ArrayList<>();
    List<Promise<List<String>>> answers = new ArrayList<>();
    Batcher<Integer, String> batcher = new Batcher<>(items -> {
      sent.add(items);
      Promise<List<String>> answer = Promise.promise();
      answers.add(answer);
      return answer.future();
    }, 3, 1);

    List<Future<String>> results = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      results.add(batcher.send(i));
    }
    assertEquals(List.of(List.of(1)), sent, "the first goes at once, alone");

    answers.get(0).complete(List.of("one"));
    assertEquals(List.of(List.of(1), List.of(2, 3, 4)), sent, "then the waiting ones, at most 3 per request");
    answers.get(1).complete(List.of("two", "three", "four"));
    answers.get(2).complete(List.of("five"));

    assertEquals(List.of("one", "two", "three", "four", "five"), results.stream().map(Future::result).toList());
  }

  @Test
  void aRequestThatFailsFailsEachOfItsItemsAndTheNextGoesOn() {
    List<List<Integer>> sent = new ArrayList<>();
    Batcher<Integer, String> batcher = new Batcher<>(items -> {
      sent.add(items);
      if (items.contains(2)) {
        throw new IllegalStateException("cannot send 2");
      }
      return Future.succeededFuture(items.stream().map(String::valueOf).toList());
    }, 1, 1);

    Future<String> two = batcher.send(2);
    Future<String> three = batcher.send(3);

    assertTrue(two.failed());
    assertEquals("cannot send 2", two.cause().getMessage());
    assertEquals("3", three.result(), "a failed request does not hold the ones after it");
  }
}
