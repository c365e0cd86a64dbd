package io.flowpay.worker;

import io.flowpay.config.FlowpayOptions;
import io.flowpay.config.RedisOptions;
import io.flowpay.failure.FlowpayFailure;
import io.flowpay.metrics.FlowMetrics;
import io.flowpay.queue.EvictionCheck;
import io.flowpay.queue.FlowStore;
import io.flowpay.queue.ReconcilingCalls;
import io.flowpay.queue.ReplicaAck;
import io.flowpay.queue.RedisTaskQueue;
import io.flowpay.queue.ScheduleStore;
import io.flowpay.script.FlowEngine;
import io.flowpay.stripe.BudgetedStripeClient;
import io.flowpay.stripe.RetryingStripeClient;
import io.flowpay.stripe.StripeClient;
import io.flowpay.stripe.StripeResources;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisReplicas;
import io.vertx.redis.client.RedisRole;
import io.vertx.redis.client.Request;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;

/**
 * One Flowpay process's moving parts, wired together: the Redis clients, the task queue, the flow
 * engine, the script threads, and a worker verticle per configured worker id. Nothing global: a
 * JVM may hold several nodes (tests do).
 */
public final class FlowpayNode {

  private final Vertx vertx;
  private final Redis redis;
  private final RedisTaskQueue queue;
  private String poolDeployment;
  private WorkerPool pool;
  private WorkerExecutor scripts;
  private FlowLibrary flows;
  private Scheduler scheduler;
  private long gaugesTimer = -1;

  private FlowpayNode(Vertx vertx, Redis redis, FlowpayOptions options) {
    this.vertx = vertx;
    this.redis = redis;
    this.queue = new RedisTaskQueue(redis, options.worker().disableAfterFailures(),
        options.redis().chainRetentionSeconds(), options.redis().mode() == RedisOptions.Mode.CLUSTER);
  }

  /**
   * Connects to Redis (failing with a message that says how to fix it) without starting workers:
   * enough to enqueue tasks and follow chains.
   */
  public static Future<FlowpayNode> connect(Vertx vertx, FlowpayOptions options) {
    Redis redis = Redis.createClient(vertx, redisOptions(options.redis(), options.redis().maxPoolSize()));
    FlowpayNode node = new FlowpayNode(vertx, redis, options);
    return redis.send(Request.cmd(Command.PING))
        .map(pong -> node)
        .recover(error -> {
          node.close();
          return Future.failedFuture(new FlowpayFailure(FlowpayFailure.Kind.REDIS_UNAVAILABLE,
              "cannot reach Redis at " + options.redis().safeUrl() + " (" + error.getMessage()
                  + "): start Redis there, or point REDIS_URL / redis.url at one"));
        });
  }

  /**
   * Connects, then joins the pool of {@code options.workers()}: takes a fair share of their leases and
   * deploys a worker verticle for each lease it holds (see {@link WorkerPool}). Blocks while it
   * builds the flow engine's sandbox: call it from a plain thread (main, a test), not an event loop.
   */
  public static Future<FlowpayNode> start(Vertx vertx, FlowpayOptions options, StripeClient stripe) {
    return start(vertx, options, stripe, new FlowMetrics());
  }

  /** As {@link #start(Vertx, FlowpayOptions, StripeClient)}, recording runs, calls and dead letters in {@code metrics}. */
  public static Future<FlowpayNode> start(Vertx vertx, FlowpayOptions options, StripeClient stripe, FlowMetrics metrics) {
    FlowEngine engine = FlowEngine.checking(options.flowsDir(), StripeResources.standard(),
        Duration.ofMillis(options.worker().cpuBudgetMs()), options.worker().scriptLimits()).placingOver(options.workers());
    return connect(vertx, options).compose(node -> node.refuseEviction(options))
        .compose(node -> node.startFlows(options, engine))
        .compose(node -> node.deployWorkers(options, engine, stripe, metrics).map(node))
        .compose(node -> node.startSchedules(options));
  }

  /** A Redis that may evict keys could drop tasks and calls: the workers do not start on it ({@link EvictionCheck}). */
  private Future<FlowpayNode> refuseEviction(FlowpayOptions options) {
    return EvictionCheck.check(redis, options.redis().mode() == RedisOptions.Mode.CLUSTER, options.redis().safeUrl())
        .map(this).recover(refused -> {
          close();
          return Future.failedFuture(refused);
        });
  }

  /** The config's schedules, on the system clock ({@link Scheduler}). */
  private Future<FlowpayNode> startSchedules(FlowpayOptions options) {
    if (options.schedules().isEmpty()) {
      return Future.succeededFuture(this);
    }
    scheduler = new Scheduler(vertx, queue, new ScheduleStore(redis, options.redis().chainRetentionSeconds(),
        options.redis().mode() == RedisOptions.Mode.CLUSTER),
        options.schedules(), Clock.systemUTC(), true);
    return scheduler.start().map(this);
  }

  /** Uploaded flow versions are read before the first run, and kept fresh ({@link FlowLibrary}). */
  private Future<FlowpayNode> startFlows(FlowpayOptions options, FlowEngine engine) {
    flows = new FlowLibrary(vertx, options.flowsDir(), engine, new FlowStore(redis), FlowLibrary.DEFAULT_REFRESH_MS);
    return flows.start().map(this);
  }

  private Future<Void> deployWorkers(FlowpayOptions options, FlowEngine engine, StripeClient stripe, FlowMetrics metrics) {
    scripts = vertx.createSharedWorkerExecutor("flowpay-scripts", options.worker().scriptThreads());
    StripeClient budgeted = BudgetedStripeClient.wrap(vertx, stripe, options.stripe(), redis, metrics);
    ReplicaAck ack = options.redis().waitReplicas() == 0 ? null
        : new ReplicaAck(vertx, redis, options.redis().waitReplicas(), options.redis().waitTimeoutMs());
    // Leases get a connection of their own: a renewal must not queue behind a burst of commits.
    Redis leaseClient = Redis.createClient(vertx, redisOptions(options.redis(), 1));
    WorkerPool workers = new WorkerPool(options.workers(), options.worker().leaseTtlMs(), leaseClient, queue.fences(),
        metrics, workerId -> newWorker(workerId, options, engine, budgeted, ack, metrics));
    return vertx.deployVerticle(workers).onSuccess(id -> {
      poolDeployment = id;
      pool = workers;
      // Stuck chains are counted over every worker id: once per process, not by each worker it serves.
      gaugesTimer = vertx.setPeriodic(WorkerVerticle.GAUGES_MS, tick -> queue.stuckChains().onSuccess(metrics::stuckChains));
    }).mapEmpty();
  }

  /** The worker serving {@code workerId} once its lease is held; its calls pass the fleet's rate budget. */
  private WorkerVerticle newWorker(String workerId, FlowpayOptions options, FlowEngine engine, StripeClient budgeted,
      ReplicaAck ack, FlowMetrics metrics) {
    Redis readClient = Redis.createClient(vertx, redisOptions(options.redis(), 1));
    return new WorkerVerticle(workerId, options.worker(), options.stripe(), queue,
        new ReconcilingCalls(redis, queue.fences()), readClient, engine,
        sender(ack, new RetryingStripeClient(vertx, budgeted, options.stripe(), metrics), metrics), scripts, metrics);
  }

  /** Calls go out after the replicas acknowledged their commit, when {@code redis.waitReplicas} asks for it. */
  private static StripeClient sender(ReplicaAck ack, StripeClient retrying, FlowMetrics metrics) {
    return ack == null ? retrying : new ReplicatedSends(ack, retrying, metrics);
  }

  /** Flow files and uploaded versions; null on a node that was only connected. */
  public FlowLibrary flows() {
    return flows;
  }

  public RedisTaskQueue queue() {
    return queue;
  }

  /** The pooled Redis client (what {@code /health} pings and the HTTP API reads with). */
  public Redis redis() {
    return redis;
  }

  /**
   * Each worker id this node serves now (it holds the id's lease), and whether it is running (false
   * while it drains to give the lease up). Empty for a standby whose pool holds every id elsewhere.
   */
  public Map<String, Boolean> workers() {
    return pool == null ? Map.of() : pool.serving();
  }

  /** A new client for one blocking reader (e.g. following a chain); the caller closes it. */
  public Redis newReadClient(FlowpayOptions options) {
    return Redis.createClient(vertx, redisOptions(options.redis(), 1));
  }

  /**
   * Undeploys the workers (each finishes what it holds, within a grace period), releases their
   * leases (another process of the pool takes them at once), then disconnects.
   */
  public Future<Void> stop() {
    if (gaugesTimer >= 0) {
      vertx.cancelTimer(gaugesTimer);
    }
    if (scheduler != null) {
      scheduler.stop();
    }
    Future<Void> undeployed = poolDeployment == null ? Future.succeededFuture() : vertx.undeploy(poolDeployment);
    return undeployed.eventually(() -> {
      close();
      return Future.succeededFuture();
    });
  }

  private void close() {
    if (flows != null) {
      flows.stop();
    }
    if (scripts != null) {
      scripts.close();
    }
    redis.close();
  }

  /** A seed node's URL with the password of {@code url} ({@code REDIS_URL}), when the seed names none. */
  private static String withPassword(String seed, String url) {
    java.net.URI from = java.net.URI.create(url);
    java.net.URI to = java.net.URI.create(seed);
    return to.getUserInfo() != null || from.getUserInfo() == null ? seed
        : to.getScheme() + "://" + from.getRawUserInfo() + "@" + to.getHost() + ":" + to.getPort();
  }

  /** The Redis client's options for {@code options}' mode (standalone, Sentinel or Cluster), with {@code poolSize} connections. */
  public static io.vertx.redis.client.RedisOptions redisOptions(RedisOptions options, int poolSize) {
    io.vertx.redis.client.RedisOptions client = new io.vertx.redis.client.RedisOptions();
    if (options.mode() == RedisOptions.Mode.SENTINEL) {
      // The master as the sentinels report it; autoFailover closes connections to an old master on +switch-master.
      client.setType(RedisClientType.SENTINEL).setEndpoints(new ArrayList<>(options.sentinels()))
          .setMasterName(options.masterName()).setRole(RedisRole.MASTER).setAutoFailover(true);
    } else if (options.mode() == RedisOptions.Mode.CLUSTER) {
      // vertx-redis-client's own cluster mode: learns the slots from the seeds, sends each command (a script by its
      // first key: every Flowpay script's keys are in one slot) to the node owning its slot, follows MOVED/ASK.
      client.setType(RedisClientType.CLUSTER).setUseReplicas(RedisReplicas.NEVER)
          .setEndpoints(new ArrayList<>(options.endpoints().stream().map(seed -> withPassword(seed, options.url()))
              .toList()));
    } else {
      client.setConnectionString(options.url());
    }
    return client
        .setMaxPoolSize(poolSize)
        .setMaxPoolWaiting(Math.max(64, poolSize * 64))
        .setMaxWaitingHandlers(4096)
        .setPreferredProtocolVersion(ProtocolVersion.RESP2);
  }
}
