package io.flowpay.worker;

import static io.flowpay.FlowpayHarness.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.config.FlowpayOptions;
import io.flowpay.config.ScheduleOptions;
import io.flowpay.config.WorkerIds;
import io.flowpay.flow.Caller;
import io.flowpay.flow.Ids;
import io.flowpay.flow.Placement;
import io.flowpay.flow.Task;
import io.flowpay.metrics.FlowMetrics;
import io.flowpay.queue.ChainStatus;
import io.flowpay.queue.RedisKeys;
import io.flowpay.queue.RedisTaskQueue;
import io.flowpay.queue.ScheduleStore;
import io.flowpay.standin.RedisCluster;
import io.flowpay.stripe.WebClientStripeClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flowpay on a Redis Cluster of three primaries formed by the test from the bundled redis-server: 8 worker ids whose
 * keys spread over all three nodes, orders whose chains hop across workers (dispatches to other contexts, placed on
 * other workers) and come back through a {@code flow.after} timer to the order's own worker, which charges. Every
 * chain settles and each order is charged once (counted at the stand-in by idempotency key); then one primary is
 * killed and restarted on its port with its data (append-only file and nodes.conf: it serves the same slots again)
 * while chains run, and chains started before, during and after it settle too, each charged once.
 */
class ClusterIT {

  /** Runs of each order's chain: order, its create answer, 3 hops, the charge (a timer), its confirm answer. */
  private static final int RUNS_PER_CHAIN = 7;
  private static final int HOPS = 3;

  @TempDir
  Path dir;

  @Test
  void chainsAcrossWorkersOnThreePrimariesSettleChargedOnceAlsoAroundAPrimaryRestart() {
    Path flows = dir.resolve("flows");
    writeFlows(flows);
    Vertx test = Vertx.vertx();
    Vertx vertx = Vertx.vertx();
    FlowpayNode node = null;
    try (RedisCluster cluster = RedisCluster.start(dir.resolve("cluster"), 3);
        PaymentChains stripe = new PaymentChains(test, 5, 40)) {
      List<String> ids = spread(cluster);
      FlowpayOptions defaults = new FlowpayOptions();
      FlowpayOptions options = defaults.withRedis(defaults.redis().withCluster(cluster.endpoints()))
          .withStripe(defaults.stripe().withApiBase(stripe.baseUrl()))
          .withWorkers(ids)
          .withFlowsDir(flows);
      node = FlowpayNode.start(vertx, options, new WebClientStripeClient(vertx, options.stripe(), "sk_test_cluster"),
          new FlowMetrics()).await();
      RedisTaskQueue queue = node.queue();

      List<Task> orders = startOrders(queue, ids, 24);
      PaymentChains.settle(test, queue, orders);
      assertEachRanOnceAndWasChargedOnce(node, queue, stripe, orders, ids);

      List<Task> around = startOrders(queue, ids, 12);
      cluster.restart(1);
      around.addAll(startOrders(queue, ids, 12));
      PaymentChains.settle(test, queue, around);
      orders.addAll(around);
      assertEachRanOnceAndWasChargedOnce(node, queue, stripe, orders, ids);
      System.out.printf("cluster: 3 primaries, %d worker ids, %d orders over %d hops across workers, each settled and"
          + " charged once, with primary %d restarted mid-run%n", ids.size(), orders.size(), HOPS,
          cluster.nodes().get(1).port());
      node.stop().await();  // before the cluster goes down with the try's end
      node = null;
    } finally {
      if (node != null) {
        node.stop().await();
      }
      vertx.close().await();
      test.close().await();
    }
  }

  /** A schedule's tick starts one chain in Cluster mode too: its record shares its worker's slot. */
  @Test
  void aScheduleTickStartsOneChainOnAClusterHoweverOftenItIsFired() {
    Path flows = dir.resolve("flows-scheduled");
    write(flows, "ticked", "ctx.set('ticks', (ctx.get('ticks') || 0) + 1);");
    Vertx vertx = Vertx.vertx();
    FlowpayNode node = null;
    try (RedisCluster cluster = RedisCluster.start(dir.resolve("cluster-scheduled"), 3)) {
      List<String> ids = spread(cluster);
      FlowpayOptions defaults = new FlowpayOptions();
      FlowpayOptions options = defaults.withRedis(defaults.redis().withCluster(cluster.endpoints())).withWorkers(ids)
          .withFlowsDir(flows);
      node = FlowpayNode.start(vertx, options, new WebClientStripeClient(vertx, options.stripe(), "sk_test_cluster"),
          new FlowMetrics()).await();
      String name = "nightly-" + Ids.newId().substring(0, 8);
      ScheduleOptions schedule = new ScheduleOptions(name, "30 2 * * *", java.time.ZoneId.of("UTC"), "ticked",
          new JsonObject(), Placement.workerFor(ScheduleOptions.defaultContext(name), ids),
          ScheduleOptions.defaultContext(name), ScheduleOptions.Missed.RUN_ONCE);
      ScheduleStore store = new ScheduleStore(node.redis(), 3600, true);
      Clock night = Clock.fixed(Instant.parse("2031-01-10T02:30:05Z"), ZoneOffset.UTC);
      for (int fired = 0; fired < 3; fired++) {
        new Scheduler(vertx, node.queue(), store, List.of(schedule), night, false).fireDue().await();
      }

      String chain = store.state(schedule).await().lastChain();
      assertTrue(chain != null, "the tick started a chain");
      assertEquals(1, store.ticks(schedule, 10).await().size(), "one chain for the tick, fired three times");
      RedisTaskQueue queue = node.queue();
      assertTrue(PaymentChains.await(vertx, 60_000, () -> {
        ChainStatus status = queue.chain(chain).await();
        return status != null && status.settled();
      }), "the tick's chain settled: " + queue.chain(chain).await());
      assertEquals(new JsonObject().put("ticks", 1), queue.contextState(schedule.context()).await());
      node.stop().await();
      node = null;
    } finally {
      if (node != null) {
        node.stop().await();
      }
      vertx.close().await();
    }
  }

  static void writeFlows(Path flows) {
    String count = "ctx.set('runs', (ctx.get('runs') || 0) + 1);";
    write(flows, "order", count + " stripe.paymentIntents.create({amount: input.amount, currency: 'eur'});");
    write(flows, "new_create_payment_intent_response", count + " ctx.set('pi', response.id);"
        + " flow.dispatch('hop', {n: 1, home: meta.context_id, pi: response.id}, {context: meta.context_id + '-h1'});");
    write(flows, "hop", count + " if (input.n < " + HOPS + ") {"
        + " flow.dispatch('hop', {n: input.n + 1, home: input.home, pi: input.pi},"
        + " {context: input.home + '-h' + (input.n + 1)}); }"
        + " else { flow.after(20, 'charge', {pi: input.pi}, {context: input.home}); }");
    write(flows, "charge", count + " stripe.paymentIntents.confirm(input.pi, {payment_method: 'pm_card_visa'});");
    write(flows, "new_confirm_payment_intent_response", count
        + " ctx.set('charged', (ctx.get('charged') || 0) + 1);");
  }

  /** 8 worker ids whose keys are on every one of the cluster's nodes, at least two on each. */
  private static List<String> spread(RedisCluster cluster) {
    String prefix = "cl-" + Ids.newId().substring(0, 6) + "-";
    List<String> ids = new ArrayList<>();
    int[] perNode = new int[cluster.nodes().size()];
    for (int n = 0; ids.size() < 8; n++) {
      String id = prefix + n;
      int node = cluster.nodeOfSlot(RedisCluster.slot(RedisKeys.tasks(id)));
      boolean needed = perNode[node] < 2;
      boolean others = java.util.Arrays.stream(perNode).allMatch(count -> count >= 2);
      if (needed || others) {
        ids.add(id);
        perNode[node]++;
      }
    }
    return WorkerIds.expand(ids);
  }

  /** Orders whose first hop is placed on another worker than the order itself: every chain crosses workers. */
  private static List<Task> startOrders(RedisTaskQueue queue, List<String> workers, int count) {
    List<Task> tasks = new ArrayList<>();
    while (tasks.size() < count) {
      String context = "order-" + Ids.newId().substring(0, 12);
      String worker = Placement.workerFor(context, workers);
      if (worker.equals(Placement.workerFor(context + "-h1", workers))) {
        continue;
      }
      Task task = Task.main("order", worker, context, Caller.CLI, new JsonObject().put("amount", 1000 + tasks.size()));
      queue.start(task).await();
      tasks.add(task);
    }
    return tasks;
  }


  /**
   * Each order: its chain settled with 7 run records, no task twice, each run ok and on the worker its context is
   * placed on (the hops on other workers than the order's); the order's context counted its 4 runs and one charge;
   * and the stand-in saw one create and one confirm idempotency key per order.
   */
  private static void assertEachRanOnceAndWasChargedOnce(FlowpayNode node, RedisTaskQueue queue, PaymentChains stripe,
      List<Task> orders, List<String> workers) {
    for (Task order : orders) {
      ChainStatus chain = queue.chain(order.chainId()).await();
      assertTrue(chain.settled(), "settled: " + chain);
      assertEquals(RUNS_PER_CHAIN, chain.runs(), "runs of " + chain);
      Set<String> tasks = new HashSet<>();
      Set<String> ranOn = new TreeSet<>();
      for (Object record : queue.chains().runs(order.chainId(), 1000).await()) {
        JsonObject run = (JsonObject) record;
        assertTrue(tasks.add(run.getString("task_id")), "task committed once: " + run);
        assertEquals("ok", run.getString("status"), "run " + run);
        assertEquals(Placement.workerFor(run.getString("context_id"), workers), run.getString("worker_id"),
            "each run on its context's worker: " + run);
        ranOn.add(run.getString("worker_id"));
      }
      assertTrue(ranOn.size() > 1, "chain " + order.chainId() + " crossed workers: " + ranOn);
      JsonObject state = queue.contextState(order.contextId()).await();
      assertEquals(4, state.getInteger("runs"), "runs of the order's own context " + order.contextId() + ": " + state);
      assertEquals(1, state.getInteger("charged"), "one confirm answer ran for " + order.contextId());
    }
    long creates = stripe.requests.keySet().stream().filter(key -> key.startsWith("/v1/payment_intents|")).count();
    long confirms = stripe.requests.keySet().stream().filter(key -> key.contains("/confirm|")).count();
    assertEquals(orders.size(), creates, "one create (one idempotency key) per order");
    assertEquals(orders.size(), confirms, "one charge (one confirm idempotency key) per order");
  }
}
