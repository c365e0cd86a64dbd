package io.flowpay.flow;

import java.util.UUID;

/** Identifiers of tasks, chains and calls, and the idempotency key of a call. */
public final class Ids {

  private Ids() {}

  /** A stable id made from {@code text}: its SHA-256, in hex. */
  public static String digest(String text) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException missing) {
      throw new IllegalStateException(missing);
    }
  }

  public static String newId() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  /**
   * A new chain's id: its first task's id, then {@code ~} and its home worker (the worker of that task),
   * where its counters and run records live (one Redis Cluster slot with that worker's keys).
   */
  public static String chainId(String firstTaskId, String homeWorker) {
    return firstTaskId + "~" + homeWorker;
  }

  /** A chain id as {@link #chainId} makes it (or, from before, without its home): 1-128 letters, digits, '_', '-'. */
  private static final java.util.regex.Pattern CHAIN_ID =
      java.util.regex.Pattern.compile("[A-Za-z0-9_\\-]{1,128}(~[A-Za-z0-9_.:\\-]{1,128})?");

  public static boolean isChainId(String id) {
    return id != null && CHAIN_ID.matcher(id).matches();
  }

  /** The n-th call a task makes: stable across re-runs of the same task. */
  public static String callId(String taskId, int index) {
    return "call_" + taskId + "_" + index;
  }

  /**
   * The idempotency key of the n-th call a task makes. Derived, not random, so that a task run
   * again (redelivery, version conflict) sends the same key and Stripe replays its first answer.
   */
  public static String idempotencyKey(String taskId, int index) {
    return "flowpay-" + taskId + "-" + index;
  }
}
