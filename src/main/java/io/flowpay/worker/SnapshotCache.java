package io.flowpay.worker;

import io.flowpay.queue.Snapshot;
import java.util.LinkedHashMap;

/**
 * The last committed state of the contexts a worker ran lately, so that the next run of a context
 * starts without a round trip to Redis. A cached snapshot is only ever a guess: the commit checks
 * its version, and a context changed by anyone else conflicts and is run again on a fresh read.
 * Bounded by the characters it holds; least recently used contexts go first. Used from the worker's
 * event loop only, so it needs no locks.
 */
final class SnapshotCache {

  private final long maxChars;
  private final LinkedHashMap<String, Held> snapshots = new LinkedHashMap<>(256, 0.75f, true);
  private long chars;

  /** @param maxChars how many characters of context state (keys and JSON values) to keep at most */
  SnapshotCache(long maxChars) {
    this.maxChars = maxChars;
  }

  /** The context's snapshot as this worker last committed or read it, or null. */
  Snapshot get(String context) {
    Held held = snapshots.get(context);
    return held == null ? null : held.snapshot();
  }

  void put(String context, Snapshot snapshot) {
    remove(context);
    long weight = snapshot.weight() + context.length();
    if (weight > maxChars) {
      return;
    }
    snapshots.put(context, new Held(snapshot, weight));
    chars += weight;
    var eldest = snapshots.values().iterator();
    while (chars > maxChars) {
      chars -= eldest.next().weight();
      eldest.remove();
    }
  }

  void remove(String context) {
    Held removed = snapshots.remove(context);
    if (removed != null) {
      chars -= removed.weight();
    }
  }

  int size() {
    return snapshots.size();
  }

  long chars() {
    return chars;
  }

  private record Held(Snapshot snapshot, long weight) {}
}
