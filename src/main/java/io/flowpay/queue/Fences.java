package io.flowpay.queue;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lease token this process holds for each worker id it serves. Every Lua step a worker runs
 * for its worker id passes the id's lease key and this token, and the script checks them before it
 * writes anything ({@code flowpay_fence} in {@code lua/lib.lua}): a process that lost a lease can
 * commit nothing for that worker id. A worker id with no token here writes as {@code ''}, which is
 * allowed only while nobody holds its lease (a test, a tool, a process of an older version).
 */
public final class Fences {

  /** The mark in Redis's error for a fenced write. */
  public static final String FENCED = "FLOWPAY_FENCED";

  /** A token no lease ever has (leases are random ids): what a worker id's dropped lease leaves. */
  private static final String GONE = "!gone";

  private final Map<String, String> tokens = new ConcurrentHashMap<>();

  /** This process holds {@code worker}'s lease with {@code token}. */
  public void hold(String worker, String token) {
    tokens.put(worker, token);
  }

  /**
   * This process no longer holds the lease taken with {@code token} (a newer one stays). Its writes
   * for the worker id stay refused (even while nobody holds the lease) until it takes the lease again.
   */
  public void drop(String worker, String token) {
    tokens.replace(worker, token, GONE);
  }

  /** The token to write {@code worker}'s keys with, {@code ""} when this process holds no lease for it. */
  public String token(String worker) {
    return tokens.getOrDefault(worker, "");
  }

  /** Whether a failure is Redis refusing a write because the writer lost the worker id's lease. */
  public static boolean isFenced(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause.getMessage() != null && cause.getMessage().contains(FENCED)) {
        return true;
      }
    }
    return false;
  }
}
