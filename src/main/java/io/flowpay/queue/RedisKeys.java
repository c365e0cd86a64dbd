package io.flowpay.queue;

/**
 * Redis key names (see the README's key table). Every key a worker's scripts write carries the hash
 * tag {@code {w:<worker_id>}}, so that in Redis Cluster each script touches one slot: the worker's
 * stream, outbox, timers, dead letters, forward outbox, and the state, run records, failure streaks
 * and chains of the contexts it owns. A chain lives with its home worker (the worker of its first
 * task), which its id names ({@link #chainHome}). Keys of the layout before this one (a chain id
 * without a home, {@link #legacyContext}) are read as a fallback; see the README, "Redis Cluster".
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

  /** A flow's failure streak on one worker and, once disabled there, when and why. */
  public static String flow(String worker, String flow) {
    return ofWorker(worker, "flow:" + flow);
  }

  /** Before the Cluster layout: a flow's failure streak for all workers (read and cleared, no longer written). */
  public static String legacyFlow(String flow) {
    return "flowpay:flow:" + flow;
  }

  /** The state of a context owned by {@code worker} (the worker its tasks run on). */
  public static String context(String worker, String context) {
    return ofWorker(worker, "ctx:" + context);
  }

  /** The run records of a context owned by {@code worker}. */
  public static String runs(String worker, String context) {
    return ofWorker(worker, "ctxruns:" + context);
  }

  /** Schedule S's record (last tick and its chain), with the worker its chains start on: see {@code ScheduleStore}. */
  public static String schedule(String worker, String schedule) {
    return ofWorker(worker, "schedule:" + schedule);
  }

  /** Before the Cluster layout: schedule S's record, moved under its worker's tag when a process registers it. */
  public static String legacySchedule(String schedule) {
    return "flowpay:schedule:" + schedule;
  }

  /** Before the Cluster layout: a context's state, read when no worker holds the context. */
  public static String legacyContext(String context) {
    return "flowpay:ctx:" + context;
  }

  /** Before the Cluster layout: a context's run records. */
  public static String legacyRuns(String context) {
    return "flowpay:runs:" + context;
  }

  /**
   * Cross-worker effects of the worker's commits waiting to be relayed (see {@code lua/forward_relay.lua}):
   * forward entry id to its JSON ({@code chain} bookkeeping for the chain's home, tasks and timers for other workers).
   */
  public static String forward(String worker) {
    return ofWorker(worker, "forward");
  }

  /**
   * What relays applied at this worker: per source worker, the id of the last entry of its forward stream applied
   * here (a hash). Entries are applied in their stream's order, so it answers for every earlier one: relayed twice,
   * applied once.
   */
  public static String relayed(String worker) {
    return ofWorker(worker, "relayed");
  }

  /**
   * The release before kept applied forward entries and task ids here for an hour (a sorted set scored by when
   * each may be forgotten); still read until its marks expire, so an upgrade applies nothing twice.
   */
  public static String legacyApplied(String worker) {
    return ofWorker(worker, "applied");
  }

  /**
   * An API request's {@code Idempotency-Key}: the request and the answer it was given, with the worker the run
   * starts on (the same request names the same worker: its context, or one derived from the key, places it).
   */
  public static String apiRequest(String worker, String idempotencyKey) {
    return ofWorker(worker, "api:idempotency:" + idempotencyKey);
  }

  /** A Stripe event that started a chain on {@code worker}: its chain id. */
  public static String stripeEvent(String worker, String eventId) {
    return ofWorker(worker, "event:" + eventId);
  }

  /**
   * A Stripe event recorded as unhandled: {@code unhandled}. Its hash tag is the unhandled events' stream's whole
   * name, so both are in one Cluster slot.
   */
  public static String unhandledEvent(String eventId) {
    return "flowpay:event:{" + StripeEventLog.UNHANDLED + "}:" + eventId;
  }

  /** Between a chain id's own part and its home worker ({@code Ids.chainId}): never part of a worker id. */
  public static final String HOME_MARK = "~";

  /** The home worker a chain id names, or null for a chain id of the layout before (no home: its keys are global). */
  public static String chainHome(String chain) {
    int mark = chain.indexOf(HOME_MARK);
    return mark < 0 ? null : chain.substring(mark + 1);
  }

  public static String chain(String chain) {
    String home = chainHome(chain);
    return home == null ? "flowpay:chain:" + chain : ofWorker(home, "chain:" + chain);
  }

  /** Chains of the home worker with a parked task (status {@code stuck}), scored by when they got stuck. */
  public static String stuckChains(String home) {
    return ofWorker(home, "chains:stuck");
  }

  /** Where a chain's stuck index is: with its home worker (or the global one of the layout before). */
  public static String stuckChainsOf(String chain) {
    String home = chainHome(chain);
    return home == null ? legacyStuckChains() : stuckChains(home);
  }

  /** Before the Cluster layout: one index of stuck chains for all workers. */
  public static String legacyStuckChains() {
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

  /**
   * Every worker id that has a task stream (added when its stream is made): how readers find the workers in a
   * Redis Cluster, where a SCAN sees one node's keys only.
   */
  public static String workerIds() {
    return "flowpay:workers";
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
    return chain(chain) + ":runs";
  }
}
