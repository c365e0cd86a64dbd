package io.flowpay;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.flowpay.config.FlowpayOptions;
import io.flowpay.config.StripeOptions;
import io.flowpay.config.WorkerOptions;
import io.flowpay.flow.Caller;
import io.flowpay.flow.Ids;
import io.flowpay.flow.Task;
import io.flowpay.metrics.FlowMetrics;
import io.flowpay.queue.ChainStatus;
import io.flowpay.queue.ChainWatch;
import io.flowpay.queue.RedisKeys;
import io.flowpay.queue.RedisTaskQueue;
import io.flowpay.stripe.WebClientStripeClient;
import io.flowpay.worker.FlowpayNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One Flowpay node as a test drives it: a real Redis, WireMock as Stripe, a flows folder, and a
 * fresh worker id so that tests never see each other's tasks.
 */
public final class FlowpayHarness implements AutoCloseable {

  public static final String API_VERSION = "2026-07-29.dahlia";
  public static final String TEST_KEY = "sk_test_flowpay_harness";

  public final Vertx vertx = Vertx.vertx();
  public final WireMockServer stripe = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
  public final String worker = "w-" + Ids.newId().substring(0, 12);
  public final FlowpayOptions options;
  public FlowpayNode node;
  public final FlowMetrics metrics = new FlowMetrics();
  /** Redis as the test sees it, up whether the node runs or not. */
  public final Redis redis;
  public final RedisTaskQueue queue;

  public FlowpayHarness(TestRedis redis, Path flows) {
    this(redis, flows, null);
  }

  /** @param stripeBase where Stripe is; null for the harness's WireMock */
  public FlowpayHarness(TestRedis redis, Path flows, String stripeBase) {
    this(redis, flows, stripeBase, UnaryOperator.identity());
  }

  /** @param tune changes to the options the harness would use (worker limits, say) */
  public FlowpayHarness(TestRedis redis, Path flows, String stripeBase, UnaryOperator<FlowpayOptions> tune) {
    stripe.start();
    FlowpayOptions defaults = new FlowpayOptions();
    // Tests share one Redis (and REDIS_URL's across runs): a flow name failing in one test must not
    // disable it in another. Tests of disabling turn it on.
    options = tune.apply(defaults.withRedis(defaults.redis().withUrl(redis.url()))
        .withWorker(defaults.worker().withLimits(WorkerOptions.DEFAULT_MAX_DELIVERIES, WorkerOptions.DEFAULT_MAX_DEPTH, 0))
        .withStripe(new StripeOptions(stripeBase == null ? stripe.baseUrl() : stripeBase, API_VERSION, 2_000, 5_000)
            .withRetries(3, 20, 100, 30_000))
        .withWorkers(List.of(worker))
        .withFlowsDir(flows));
    this.redis = Redis.createClient(vertx, redisOptions().setMaxPoolSize(4));
    this.queue = new RedisTaskQueue(this.redis, options.worker().disableAfterFailures(),
        options.redis().chainRetentionSeconds());
    node = startNode();
  }

  private FlowpayNode startNode() {
    return FlowpayNode.start(vertx, options, new WebClientStripeClient(vertx, options.stripe(), TEST_KEY), metrics).await();
  }

  /** Stops the node gracefully (as SIGTERM does) and starts a new one serving the same worker. */
  public void restart() {
    stopNode();
    startAgain();
  }

  /** Stops the node gracefully, as SIGTERM does. */
  public void stopNode() {
    node.stop().await();
    node = null;
  }

  public void startAgain() {
    node = startNode();
  }

  public Task start(String flow, String context, Object input) {
    Task task = Task.main(flow, worker, context, Caller.CLI, input);
    queue.start(task).await();
    return task;
  }

  /**
   * Plays a process that takes the worker's next task and dies without acknowledging it, then
   * claims it {@code claims} more times (each counts as a delivery). Returns the entry id.
   */
  public String takeWithoutAcknowledging(int claims) {
    Response read = send(Request.cmd(Command.XREADGROUP).arg("GROUP").arg(RedisKeys.GROUP).arg(worker)
        .arg("COUNT").arg(1).arg("STREAMS").arg(tasksKey()).arg(">"));
    String entry = read.get(0).get(1).get(0).get(0).toString();
    for (int i = 0; i < claims; i++) {
      send(Request.cmd(Command.XCLAIM).arg(tasksKey()).arg(RedisKeys.GROUP).arg(worker).arg(0).arg(entry));
    }
    return entry;
  }

  /**
   * Records, as a worker records them, that {@code runs} runs of entry {@code entry} were started
   * alone on the worker and each died with its process (PoisonTaskIT kills real processes for this).
   */
  public void recordRunsThatDiedAlone(String entry, int runs) {
    send(Request.cmd(Command.HSET).arg(RedisKeys.runsStarted(worker)).arg(entry).arg(runs + 1)
        .arg(entry + ":solo").arg(runs));
  }

  /** Waits (polling WireMock's journal, up to 30 s) until Stripe has received {@code count} requests. */
  public void awaitStripeRequests(int count) {
    long deadline = System.currentTimeMillis() + 30_000;
    while (stripe.getAllServeEvents().size() < count) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("Stripe received " + stripe.getAllServeEvents().size() + " of " + count + " requests");
      }
      vertx.timer(10).await();
    }
  }

  /** Sends one command to Redis and waits for the answer. */
  public Response send(Request request) {
    return redis.send(request).await();
  }

  /** Waits (blocking reads on Redis, no sleeping) until the chain is settled; returns its run records in order. */
  public List<JsonObject> settle(Task task) {
    List<JsonObject> runs = new ArrayList<>();
    Redis client = Redis.createClient(vertx, redisOptions());
    try {
      RedisConnection connection = client.connect().await();
      ChainStatus status = ChainWatch.follow(queue, connection, task.chainId(), runs::add, 30_000).await();
      if (status.runs() != runs.size()) {
        throw new AssertionError("chain counted " + status.runs() + " runs but " + runs.size() + " records were read");
      }
      return runs;
    } finally {
      client.close();
    }
  }

  /** Waits until {@code count} run records of the chain exist, settled or not. */
  public List<JsonObject> awaitRuns(String chainId, int count) {
    List<JsonObject> runs = new ArrayList<>();
    Redis client = Redis.createClient(vertx, redisOptions());
    try {
      RedisConnection connection = client.connect().await();
      String last = "0";
      long deadline = System.currentTimeMillis() + 30_000;
      while (runs.size() < count && System.currentTimeMillis() < deadline) {
        for (var entry : queue.chainRuns(connection, chainId, last, 500).await()) {
          runs.add(new JsonObject(entry.json()));
          last = entry.id();
        }
      }
      return runs;
    } finally {
      client.close();
    }
  }

  public JsonObject state(String context) {
    return queue.contextState(context).await();
  }

  private io.vertx.redis.client.RedisOptions redisOptions() {
    return new io.vertx.redis.client.RedisOptions().setConnectionString(options.redis().url()).setMaxPoolSize(1)
        .setPreferredProtocolVersion(ProtocolVersion.RESP2);
  }

  public String tasksKey() {
    return RedisKeys.tasks(worker);
  }

  /** Stripe's published example object of a resource, e.g. {@code payment_intent}. */
  public static JsonObject fixture(String resource) {
    try (InputStream in = FlowpayHarness.class.getResourceAsStream("/standin/stripe-fixtures.json")) {
      JsonObject all = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      return all.getJsonObject("resources").getJsonObject(resource).copy();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void write(Path dir, String flow, String source) {
    try {
      Path file = dir.resolve(flow + ".js");
      Files.createDirectories(file.getParent());
      Files.writeString(file, source);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      if (node != null) {
        node.stop().await();
      }
    } finally {
      redis.close();
      vertx.close().await();
      stripe.stop();
    }
  }
}
