package io.flowpay.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.flowpay.queue.Snapshot;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotCacheTest {

  @Test
  void keepsTheLastCommittedStateOfAContext() {
    SnapshotCache cache = new SnapshotCache(1_000);
    Snapshot first = new Snapshot("1", Map.of("status", "\"creating\"", "amount", "2000"));
    cache.put("ctx-a", first);

    Map<String, String> writes = new HashMap<>();
    writes.put("status", "\"paid\"");
    writes.put("amount", null);
    cache.put("ctx-a", first.after(writes, "2"));

    assertEquals(new Snapshot("2", Map.of("status", "\"paid\"")), cache.get("ctx-a"));
    assertEquals(1, cache.size());
    assertEquals("ctx-a".length() + 1 + "status".length() + "\"paid\"".length(), cache.chars());
  }

  @Test
  void runWithoutWritesKeepsTheSnapshotAndItsVersion() {
    Snapshot snapshot = new Snapshot("4", Map.of("n", "1"));

    assertEquals(snapshot, snapshot.after(Map.of(), "ignored"));
  }

  @Test
  void evictsLeastRecentlyUsedContextsPastItsBound() {
    SnapshotCache cache = new SnapshotCache(50);
    cache.put("a", snapshotOf(20));
    cache.put("b", snapshotOf(20));
    cache.get("a");
    cache.put("c", snapshotOf(20));

    assertNull(cache.get("b"), "b was used least recently");
    assertEquals(snapshotOf(20), cache.get("a"));
    assertEquals(snapshotOf(20), cache.get("c"));
    assertEquals(2 * 19, cache.chars(), "each: context name 1, version 1, key 1, value 16");
  }

  @Test
  void aSnapshotLargerThanTheBoundIsNotKept() {
    SnapshotCache cache = new SnapshotCache(10);
    cache.put("a", snapshotOf(5));
    cache.put("a", snapshotOf(50));

    assertNull(cache.get("a"), "neither the old state nor the new one: the next run reads Redis");
    assertEquals(0, cache.chars());
  }

  /** A snapshot of version "1" holding one key "k" whose value has {@code chars - 4} characters. */
  private static Snapshot snapshotOf(int chars) {
    return new Snapshot("1", Map.of("k", "x".repeat(chars - 4)));
  }
}
