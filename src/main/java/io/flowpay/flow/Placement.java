package io.flowpay.flow;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Where a context's tasks run when the caller names no worker: a stable hash of the context id over
 * the configured worker ids, so one context always lands on the same worker (and its order holds),
 * whichever process, API call, CLI or webhook asks. Rendezvous hashing: each (worker, context) pair
 * gets a score and the highest wins, so adding or removing one worker id of n moves only about 1/n of
 * the contexts (those that now score highest on the new id, or scored highest on the removed one).
 */
public final class Placement {

  private Placement() {}

  /** The worker of {@code workers} that {@code contextId} belongs to; the same for the same ids, in any order. */
  public static String workerFor(String contextId, List<String> workers) {
    if (workers.isEmpty()) {
      throw new IllegalArgumentException("no worker ids to place context " + contextId + " on");
    }
    String best = null;
    long bestScore = 0;
    for (String worker : workers) {
      long score = score(worker, contextId);
      if (best == null || Long.compareUnsigned(score, bestScore) > 0
          || score == bestScore && worker.compareTo(best) < 0) {
        best = worker;
        bestScore = score;
      }
    }
    return best;
  }

  private static long score(String worker, String contextId) {
    byte[] digest = sha256().digest((worker + "\n" + contextId).getBytes(StandardCharsets.UTF_8));
    long score = 0;
    for (int i = 0; i < 8; i++) {
      score = score << 8 | (digest[i] & 0xff);
    }
    return score;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException missing) {
      throw new IllegalStateException(missing);
    }
  }
}
