package io.flowpay.worker;

import io.flowpay.config.WorkerOptions;
import io.flowpay.failure.FlowpayFailure;
import io.flowpay.flow.Call;
import io.flowpay.flow.RunResult;
import io.flowpay.flow.Task;
import io.flowpay.queue.Commit;
import io.flowpay.queue.Delivery;
import io.flowpay.queue.RedisTaskQueue;
import io.flowpay.queue.Snapshot;
import io.flowpay.script.FlowEngine;
import io.flowpay.stripe.StripeAnswer;
import io.flowpay.stripe.StripeClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import java.util.List;
import java.util.function.Supplier;

/**
 * One worker: reads its tasks from its Redis stream, runs each flow on a script thread (never on
 * this event loop), commits the run's effects atomically, and only then sends the run's Stripe
 * calls; each answer goes back to this worker's own stream as a response or error task.
 *
 * <p>Tasks of one context run one at a time, in order; tasks of different contexts in parallel.
 */
public final class WorkerVerticle extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(WorkerVerticle.class.getName());
  private static final int MAX_CONFLICT_RERUNS = 10;
  private static final int MAX_REDIS_ATTEMPTS = 12;
  private static final long MAX_BACKOFF_MS = 10_000;
  private static final long STOP_GRACE_MS = 10_000;

  private final String workerId;
  private final WorkerOptions options;
  private final RedisTaskQueue queue;
  private final Redis readClient;
  private final FlowEngine engine;
  private final StripeClient stripe;
  private final WorkerExecutor scripts;
  private ContextLanes lanes;
  private RedisConnection reader;
  private String pendingFrom = "0";
  private boolean reading;
  private boolean stopping;
  private Promise<Void> drained;

  /**
   * @param readClient a client of its own: its one connection is held by blocking reads
   * @param scripts the executor flow scripts run on
   */
  public WorkerVerticle(String workerId, WorkerOptions options, RedisTaskQueue queue, Redis readClient,
      FlowEngine engine, StripeClient stripe, WorkerExecutor scripts) {
    this.workerId = workerId;
    this.options = options;
    this.queue = queue;
    this.readClient = readClient;
    this.engine = engine;
    this.stripe = stripe;
    this.scripts = scripts;
  }

  @Override
  public Future<?> start() {
    lanes = new ContextLanes(this::process, this::finished);
    return queue.ensureGroup(workerId)
        .compose(ready -> queue.outbox(workerId))
        .onSuccess(this::resend)
        .compose(resent -> connectReader())
        .onSuccess(connected -> readMore());
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    drained = Promise.promise();
    if (lanes.held() == 0) {
      drained.tryComplete();
    }
    long timer = vertx.setTimer(STOP_GRACE_MS, id -> drained.tryComplete());
    return drained.future()
        .onComplete(done -> vertx.cancelTimer(timer))
        .eventually(() -> reader == null ? Future.succeededFuture() : reader.close())
        .eventually(readClient::close);
  }

  /** Calls committed before a stop or crash and never answered: sent again with the same key. */
  private void resend(List<Call> calls) {
    if (!calls.isEmpty()) {
      LOG.log(System.Logger.Level.INFO, "worker {0}: re-sending {1} unanswered call(s) from the outbox",
          workerId, calls.size());
    }
    calls.forEach(this::send);
  }

  private Future<RedisConnection> connectReader() {
    return readClient.connect().onSuccess(connection -> {
      reader = connection;
      connection.exceptionHandler(error -> readerLost(connection, error));
    });
  }

  private void readMore() {
    int room = options.maxInFlight() - lanes.held();
    if (reading || stopping || reader == null || room <= 0) {
      return;
    }
    reading = true;
    String from = pendingFrom == null ? ">" : pendingFrom;
    queue.read(reader, workerId, from, Math.min(room, options.readBatch()), options.blockMs())
        .onComplete(read -> reading = false)
        .onSuccess(this::accept)
        .onFailure(error -> readerLost(reader, error));
  }

  private void accept(List<Delivery> deliveries) {
    if (pendingFrom != null) {
      pendingFrom = deliveries.isEmpty() ? null : deliveries.get(deliveries.size() - 1).entryId();
    }
    for (Delivery delivery : deliveries) {
      if (delivery.task() == null) {
        park(delivery);
      } else {
        lanes.submit(delivery);
      }
    }
    readMore();
  }

  private void park(Delivery delivery) {
    LOG.log(System.Logger.Level.ERROR, "worker {0}: entry {1} is not a task; moved to the dead-letter stream",
        workerId, delivery.entryId());
    queue.deadLetter(delivery, "unreadable", "the stream entry is not a task Flowpay can read");
  }

  /** The read connection failed: reconnect with back-off, then read on (pending first). */
  private void readerLost(RedisConnection lost, Throwable error) {
    if (stopping || lost != reader) {
      return;
    }
    LOG.log(System.Logger.Level.WARNING, "worker {0}: lost its Redis read connection ({1}); reconnecting",
        workerId, error.getMessage());
    reader = null;
    lost.close();
    pendingFrom = null;
    retry(this::connectReader, 1).onSuccess(connected -> readMore());
  }

  private void finished() {
    if (stopping && lanes.held() == 0 && drained != null) {
      drained.tryComplete();
    }
    readMore();
  }

  /** Runs one task to its commit, then sends its calls. Never fails: the lane moves on. */
  private Future<?> process(Delivery delivery) {
    Task task = delivery.task();
    return retry(() -> runAndCommit(delivery, 1), 1)
        .onSuccess(calls -> calls.forEach(this::send))
        .recover(error -> {
          LOG.log(System.Logger.Level.ERROR, "worker {0}: task {1} (flow {2}, context {3}) left pending: {4}",
              workerId, task.taskId(), task.flow(), task.contextId(), error.getMessage());
          return Future.succeededFuture();
        });
  }

  private Future<List<Call>> runAndCommit(Delivery delivery, int run) {
    Task task = delivery.task();
    return queue.snapshot(task.contextId())
        .compose(snapshot -> runFlow(task, snapshot)
            .compose(result -> commit(delivery, snapshot, result, run)));
  }

  private Future<RunResult> runFlow(Task task, Snapshot snapshot) {
    return scripts.executeBlocking(() -> engine.run(task, snapshot.values()), false);
  }

  private Future<List<Call>> commit(Delivery delivery, Snapshot snapshot, RunResult result, int run) {
    return queue.commit(delivery, snapshot, result).compose(outcome -> {
      if (outcome == Commit.CONFLICT) {
        return run < MAX_CONFLICT_RERUNS ? runAndCommit(delivery, run + 1) : Future.failedFuture(conflict(delivery));
      }
      logRun(delivery.task(), result);
      return Future.succeededFuture(outcome == Commit.COMMITTED && result.ok() ? result.effects().calls() : List.of());
    });
  }

  /** Sends a committed call; its answer becomes a task on this worker's stream. */
  private void send(Call call) {
    stripe.send(call)
        .compose(answer -> retry(() -> queue.reply(call, replyTask(call, answer)), 1))
        .onFailure(error -> LOG.log(System.Logger.Level.ERROR,
            "worker {0}: answer to call {1} not stored ({2}); the call stays in the outbox and is re-sent"
                + " with the same idempotency key when the worker restarts", workerId, call.callId(), error.getMessage()));
  }

  private static Task replyTask(Call call, StripeAnswer answer) {
    return call.replyTask(answer.success(), answer.body());
  }

  /** Retries a Redis step with exponential back-off while Redis is unreachable or failing. */
  private <T> Future<T> retry(Supplier<Future<T>> step, int attempt) {
    return step.get().recover(error -> {
      if (stopping || attempt >= MAX_REDIS_ATTEMPTS || !isRedisTrouble(error)) {
        return Future.failedFuture(error);
      }
      long delay = Math.min(MAX_BACKOFF_MS, 50L << attempt);
      return vertx.timer(delay).compose(waited -> retry(step, attempt + 1));
    });
  }

  private static boolean isRedisTrouble(Throwable error) {
    return !(error instanceof FlowpayFailure failure) || failure.retryable();
  }

  private FlowpayFailure conflict(Delivery delivery) {
    return new FlowpayFailure(FlowpayFailure.Kind.CONTEXT_CONFLICT, "context " + delivery.task().contextId()
        + " changed under every one of " + MAX_CONFLICT_RERUNS + " runs; is another process serving worker " + workerId + "?");
  }

  private void logRun(Task task, RunResult result) {
    System.Logger.Level level = result.ok() ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING;
    LOG.log(level, "worker {0}: {1} {2} context={3} task={4} {5}us{6}", workerId, result.status().code(),
        task.flow(), task.contextId(), task.taskId(), result.durationMicros(),
        result.error() == null ? "" : " " + result.error());
  }
}
