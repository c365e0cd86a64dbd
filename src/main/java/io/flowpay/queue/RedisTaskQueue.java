package io.flowpay.queue;

import io.flowpay.config.RedisOptions;
import io.flowpay.config.WorkerOptions;
import io.flowpay.flow.Call;
import io.flowpay.flow.RunResult;
import io.flowpay.flow.Task;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Flowpay's state in Redis, one class per concern: {@link TaskStream} (a worker's stream: read, claim,
 * timers), {@link ContextStore} (state and run records), {@link RunCommits} (a run's effects, atomically),
 * {@link Outbox} (calls not answered yet, answers stored), {@link Chains} (start, status, runs),
 * {@link DeadLetters} (parked entries and operators' repairs), {@link FlowSwitches} (disabled flows) and
 * {@link StripeEventLog} (webhook events). This facade holds them on one client and keeps the callers'
 * methods. Every write that must not be half-done is one Lua
 * script with one typed Java twin ({@code *Script}); blocking reads go over a connection the caller
 * dedicates to them.
 */
public final class RedisTaskQueue {

  static final int RUNS_PER_CONTEXT = 1000;

  private final TaskStream tasks;
  private final ContextStore contexts;
  private final RunCommits commits;
  private final Outbox outbox;
  private final Chains chains;
  private final DeadLetters dead;
  private final FlowSwitches flows;
  private final StripeEventLog events;
  private final ForwardRelay forwards;
  private final Fences fences = new Fences();

  public RedisTaskQueue(Redis redis) {
    this(redis, WorkerOptions.DEFAULT_DISABLE_AFTER_FAILURES, new RedisOptions().chainRetentionSeconds());
  }

  /**
   * @param disableAfterFailures failed runs of a flow in a row that disable it (0: never)
   * @param chainTtlSeconds how long a chain is kept after its last run or due timer
   */
  public RedisTaskQueue(Redis redis, int disableAfterFailures, long chainTtlSeconds) {
    this(redis, disableAfterFailures, chainTtlSeconds, false);
  }

  /**
   * @param cluster Redis Cluster mode: no script reaches a key of the layout before the Cluster one (which no
   *     Cluster ever held); in the other modes a context's state and run records under the old keys move to its
   *     worker's keys at its next run
   */
  public RedisTaskQueue(Redis redis, int disableAfterFailures, long chainTtlSeconds, boolean cluster) {
    QueueScope scope = new QueueScope(redis, fences, chainTtlSeconds, RUNS_PER_CONTEXT, disableAfterFailures, cluster);
    this.tasks = new TaskStream(scope);
    this.contexts = new ContextStore(scope);
    this.commits = new RunCommits(scope);
    this.outbox = new Outbox(scope);
    this.chains = new Chains(scope, tasks);
    this.dead = new DeadLetters(scope);
    this.flows = new FlowSwitches(scope);
    this.events = new StripeEventLog(scope);
    this.forwards = new ForwardRelay(scope, tasks);
  }

  /** The lease tokens this queue's worker writes are fenced with. */
  public Fences fences() {
    return fences;
  }

  public ContextStore contexts() {
    return contexts;
  }

  public Chains chains() {
    return chains;
  }

  public StripeEventLog stripeEvents() {
    return events;
  }

  // Task stream

  /** See {@link TaskStream#ensureGroup}. */
  /** See {@link ForwardRelay#relayAll}. */
  public Future<Integer> relayForwards(String worker) {
    return forwards.relayAll(worker);
  }

  /** A relay of {@code worker}'s forward stream that knows what this process's commits wrote to it. */
  public ForwardTail forwardTail(String worker) {
    return new ForwardTail(forwards, worker);
  }

  /** See {@link ForwardRelay#relay}: for tests of a relay cut short. */
  Future<Integer> relayForwards(String worker, int most) {
    return forwards.relay(worker, most);
  }

  public Future<Void> ensureGroup(String worker) {
    return tasks.ensureGroup(worker);
  }

  /** See {@link TaskStream#read}. */
  public Future<List<Delivery>> read(RedisConnection connection, String worker, int count, long blockMs) {
    return tasks.read(connection, worker, count, blockMs);
  }

  /** See {@link TaskStream#claim}. */
  public Future<Claimed> claim(String worker, long minIdleMs, int count, String after, Collection<String> held) {
    return tasks.claim(worker, minIdleMs, count, after, held);
  }

  /** See {@link TaskStream#runStarting}. */
  public Future<Void> runStarting(Delivery delivery, boolean alone) {
    return tasks.runStarting(delivery, alone);
  }

  /** See {@link TaskStream#runsDone}. */
  public Future<Void> runsDone(Delivery delivery) {
    return tasks.runsDone(delivery);
  }

  /** See {@link TaskStream#moveDueTimers}. */
  public Future<Integer> moveDueTimers(String worker, int count) {
    return tasks.moveDueTimers(worker, count);
  }

  // Chains

  /** See {@link Chains#start}. */
  public Future<String> start(Task task) {
    return chains.start(task);
  }

  /** See {@link Chains#startOnce}. */
  public Future<String> startOnce(Task task, StartMark mark, String markValue, long markTtlSeconds) {
    return chains.startOnce(task, mark, markValue, markTtlSeconds);
  }

  /** See {@link Chains#chain}. */
  public Future<ChainStatus> chain(String chainId) {
    return chains.chain(chainId);
  }

  /** See {@link Chains#chainRuns}. */
  public Future<List<StreamEntries.Entry>> chainRuns(RedisConnection connection, String chainId, String fromId,
      long blockMs) {
    return chains.chainRuns(connection, chainId, fromId, blockMs);
  }

  /** See {@link TaskStream#backlog}. */
  public Future<Backlog> backlog(String worker) {
    return tasks.backlog(worker);
  }

  /** See {@link Chains#stuckChains}. */
  public Future<Long> stuckChains() {
    return chains.stuckChains();
  }

  // Context state

  /** See {@link ContextStore#load}. */
  public Future<Snapshot> load(Task task) {
    return contexts.load(task);
  }

  /** See {@link ContextStore#snapshot}. */
  public Future<Snapshot> snapshot(String context) {
    return contexts.snapshot(context);
  }

  /** See {@link ContextStore#contextState}. */
  public Future<JsonObject> contextState(String context) {
    return contexts.contextState(context);
  }

  // Run commits

  /** See {@link RunCommits#commit(Delivery, Snapshot, RunResult)}. */
  public Future<Commit> commit(Delivery delivery, Snapshot snapshot, RunResult result) {
    return commits.commit(delivery, snapshot, result);
  }

  /** See {@link RunCommits#commit(PreparedCommit)}. */
  public Future<Commit> commit(PreparedCommit prepared) {
    return commits.commit(prepared);
  }

  /** See {@link RunCommits#commit(List)}. */
  public Future<List<Commit>> commit(List<PreparedCommit> batch) {
    return commits.commit(batch);
  }

  /** See {@link RunCommits#prepare}. */
  public PreparedCommit prepare(Delivery delivery, Snapshot snapshot, RunResult result) {
    return commits.prepare(delivery, snapshot, result);
  }

  // Outbox

  /** See {@link Outbox#outbox}. */
  public Future<List<Call>> outbox(String worker) {
    return outbox.outbox(worker);
  }

  /** See {@link Outbox#unanswered}. */
  public Future<List<Call>> unanswered(String worker, List<Call> calls) {
    return outbox.unanswered(worker, calls);
  }

  /** See {@link Outbox#reply(Call, Task)}. */
  public Future<Boolean> reply(Call call, Task answer) {
    return outbox.reply(call, answer);
  }

  /** See {@link Outbox#reply(List, int)}. */
  public Future<Replied> reply(List<Answer> answers, int read) {
    return outbox.reply(answers, read);
  }

  // Dead letters

  /** See {@link DeadLetters#deadLetter(Delivery, String, String)}. */
  public Future<Boolean> deadLetter(Delivery delivery, String reason, String error) {
    return dead.deadLetter(delivery, reason, error);
  }

  /** See {@link DeadLetters#deadLetters}. */
  public Future<List<DeadLetter>> deadLetters(String worker, String fromId, int count) {
    return dead.deadLetters(worker, fromId, count);
  }

  /** See {@link DeadLetters#deadLetter(String, String)}. */
  public Future<DeadLetter> deadLetter(String worker, String id) {
    return dead.deadLetter(worker, id);
  }

  /** See {@link DeadLetters#retryDead}. */
  public Future<Boolean> retryDead(String worker, String id, String by) {
    return dead.retryDead(worker, id, by).compose(retried -> relayRepair(worker, retried));
  }

  /** See {@link DeadLetters#retryRun}. */
  public Future<Task> retryRun(String contextId, String taskId, String by) {
    return dead.retryRun(contextId, taskId, by)
        .compose(task -> task == null ? Future.succeededFuture(null) : relayRepair(task.workerId(), task));
  }

  /** See {@link DeadLetters#dropDead}. */
  public Future<Boolean> dropDead(String worker, String id, String by) {
    return dead.dropDead(worker, id, by).compose(dropped -> relayRepair(worker, dropped));
  }

  /** See {@link DeadLetters#retryParkedWhileDisabled}. */
  public Future<Integer> retryParkedWhileDisabled(String worker, String flow, String by) {
    return dead.retryParkedWhileDisabled(worker, flow, by).compose(count -> relayRepair(worker, count));
  }

  /**
   * After an operator's repair: relays the worker's forward stream now, where a repair of a chain whose home is
   * another worker went (the worker's own relay would within {@code worker.timerPollMs}, if a process serves it),
   * so the operator sees the chain's new state at once. Best effort: a relay that fails is left to the worker's.
   */
  private <T> Future<T> relayRepair(String worker, T result) {
    return forwards.relayAll(worker).otherwiseEmpty().map(relayed -> result);
  }

  /** The dead letters' repairs without the relay that follows them: for tests that relay at chosen moments. */
  DeadLetters deadLetterRepairs() {
    return dead;
  }

  /** See {@link DeadLetters#deadAudit}. */
  public Future<List<JsonObject>> deadAudit(String worker) {
    return dead.deadAudit(worker);
  }

  // Flow switches

  /** See {@link FlowSwitches#flowState}. */
  public Future<Map<String, String>> flowState(String flow) {
    return flows.flowState(flow);
  }

  /** See {@link FlowSwitches#flowState(String, String)}. */
  public Future<Map<String, String>> flowState(String flow, String worker) {
    return flows.flowState(flow, worker);
  }

  /** See {@link FlowSwitches#enableFlow}. */
  public Future<Boolean> enableFlow(String flow) {
    return flows.enableFlow(flow);
  }
}
