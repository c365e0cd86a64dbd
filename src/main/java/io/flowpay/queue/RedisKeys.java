package io.flowpay.queue;

/**
 * Redis key names (see the README's key table). Every key of one worker carries the hash tag
 * {@code {w:<worker_id>}} so that a future Cluster mode keeps a worker's stream, outbox and dead
 * letters in one slot.
 */
public final class RedisKeys {

  public static final String GROUP = "workers";

  private RedisKeys() {}

  private static String ofWorker(String worker, String what) {
    return "flowpay:{w:" + worker + "}:" + what;
  }

  public static String tasks(String worker) {
    return ofWorker(worker, "tasks");
  }

  public static String outbox(String worker) {
    return ofWorker(worker, "outbox");
  }

  public static String dead(String worker) {
    return ofWorker(worker, "dead");
  }

  /** What operators did to the dead letters: retry and drop, by whom, when. */
  public static String deadAudit(String worker) {
    return ofWorker(worker, "dead:audit");
  }

  /** Tasks due later ({@code flow.after}), scored by due time in ms. */
  public static String timers(String worker) {
    return ofWorker(worker, "timers");
  }

  /** A flow's failure streak and, once disabled, when and why. */
  public static String flow(String flow) {
    return "flowpay:flow:" + flow;
  }

  public static String context(String context) {
    return "flowpay:ctx:" + context;
  }

  public static String runs(String context) {
    return "flowpay:runs:" + context;
  }

  /** An API request's {@code Idempotency-Key}: the request and the answer it was given. */
  public static String apiRequest(String idempotencyKey) {
    return "flowpay:api:idempotency:" + idempotencyKey;
  }

  /** A Stripe event taken (a chain started or the event recorded as unhandled): its chain id, or {@code unhandled}. */
  public static String stripeEvent(String eventId) {
    return "flowpay:event:" + eventId;
  }

  public static String chain(String chain) {
    return "flowpay:chain:" + chain;
  }

  /** Chains with a parked task (status {@code stuck}), scored by when they got stuck. */
  public static String stuckChains() {
    return "flowpay:chains:stuck";
  }

  /**
   * Calls of the worker whose outcome at Stripe is not known yet, being reconciled: call id to
   * {@code {since, attempts, last_error, last_status}} (the call itself stays in the outbox).
   */
  public static String reconciling(String worker) {
    return ofWorker(worker, "reconciling");
  }

  /** When each reconciling call is tried next, scored in ms. */
  public static String reconcileDue(String worker) {
    return ofWorker(worker, "reconcile:due");
  }

  /** Calls whose outcome stayed unknown through the whole reconcile window: for an operator. */
  public static String unresolved(String worker) {
    return ofWorker(worker, "unresolved");
  }

  /** Runs started of tasks that were delivered again (their earlier run may have died): entry id to count. */
  public static String runsStarted(String worker) {
    return ofWorker(worker, "runs:started");
  }

  /** Who serves the worker id now: the holder's token, with a TTL (see {@code lua/lease.lua}). */
  public static String lease(String worker) {
    return "flowpay:{w:" + worker + "}:lease";
  }

  /** The live processes of a pool of worker ids (see {@code lua/pool.lua}); {@code pool} names the set. */
  public static String poolMembers(String pool) {
    return "flowpay:pool:" + pool + ":members";
  }

  public static String chainRuns(String chain) {
    return "flowpay:chain:" + chain + ":runs";
  }
}
