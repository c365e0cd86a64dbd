package io.flowpay.worker;

import static io.flowpay.FlowpayHarness.fixture;
import static io.flowpay.FlowpayHarness.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.flow.Caller;
import io.flowpay.flow.Ids;
import io.flowpay.flow.Placement;
import io.flowpay.flow.Task;
import io.flowpay.queue.ChainStatus;
import io.flowpay.queue.RedisKeys;
import io.flowpay.queue.RedisTaskQueue;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Order chains for lease tests, and a Stripe stand-in on loopback that counts what it was asked.
 * Each order: {@code order} (creates a payment intent) → its response → four {@code step} hops →
 * a confirm (the charge) → its response. Every run reads the context's counter {@code runs} and
 * increments it: after a chain settles, {@code runs} is 7 exactly when every task of it committed
 * once and no two ran on a stale state.
 */
final class PaymentChains implements AutoCloseable {

  static final int RUNS_PER_CHAIN = 7;

  private final Vertx vertx;
  private final HttpServer server;
  /** Stripe's example payment intent, read once (not on the event loop per request). */
  private final JsonObject example = fixture("payment_intent");
  /** Requests seen per {@code path|Idempotency-Key}. */
  final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  private volatile int minDelayMs;
  private volatile int maxDelayMs;
  /** When set, the next request is held: its key completes {@code held}, its answer waits for {@code gate}. */
  private volatile java.util.concurrent.CompletableFuture<String> held;
  private volatile io.vertx.core.Promise<Void> gate;

  PaymentChains(Vertx vertx, int minDelayMs, int maxDelayMs) {
    this.vertx = vertx;
    this.minDelayMs = minDelayMs;
    this.maxDelayMs = maxDelayMs;
    this.server = vertx.createHttpServer().requestHandler(this::answer).listen(0, "127.0.0.1").await();
  }

  static void writeFlows(Path flows) {
    String count = "ctx.set('runs', (ctx.get('runs') || 0) + 1);";
    write(flows, "order", count + " stripe.paymentIntents.create({amount: input.amount, currency: 'eur'});");
    write(flows, "new_create_payment_intent_response", count + " ctx.set('pi', response.id);"
        + " flow.dispatch('step', {n: 1});");
    write(flows, "step", count + " if (input.n < 4) { flow.dispatch('step', {n: input.n + 1}); }"
        + " else { stripe.paymentIntents.confirm(ctx.get('pi'), {payment_method: 'pm_card_visa'}); }");
    write(flows, "new_confirm_payment_intent_response", count
        + " ctx.set('charged', (ctx.get('charged') || 0) + 1);");
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  void delays(int minMs, int maxMs) {
    minDelayMs = minMs;
    maxDelayMs = maxMs;
  }

  /**
   * Holds the answer to the next request until {@code gate} completes; the returned future completes
   * with the request's idempotency key when it arrives.
   */
  java.util.concurrent.CompletableFuture<String> holdNextAnswer(io.vertx.core.Promise<Void> gate) {
    java.util.concurrent.CompletableFuture<String> arrived = new java.util.concurrent.CompletableFuture<>();
    this.gate = gate;
    this.held = arrived;
    return arrived;
  }

  int requestCount() {
    return requests.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  private void answer(HttpServerRequest request) {
    String key = request.getHeader("Idempotency-Key");
    requests.computeIfAbsent(request.path() + "|" + key, k -> new AtomicInteger()).incrementAndGet();
    io.vertx.core.Future<Void> wait = io.vertx.core.Future.succeededFuture();
    java.util.concurrent.CompletableFuture<String> arrived = held;
    if (arrived != null) {
      held = null;
      wait = gate.future();
      arrived.complete(key);
    }
    JsonObject intent = example.copy().put("id", "pi_" + Integer.toHexString(String.valueOf(key).hashCode()));
    if (request.path().endsWith("/confirm")) {
      intent.put("status", "succeeded");
    }
    int delay = minDelayMs + ThreadLocalRandom.current().nextInt(Math.max(1, maxDelayMs - minDelayMs));
    wait.onComplete(open -> vertx.setTimer(Math.max(1, delay), id -> request.response()
        .putHeader("Content-Type", "application/json").end(intent.encode())));
  }

  /** Starts {@code count} orders, each on its context's placed worker among {@code workers}. */
  static List<Task> startOrders(RedisTaskQueue queue, List<String> workers, int count) {
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String context = "order-" + Ids.newId().substring(0, 12);
      Task task = Task.main("order", Placement.workerFor(context, workers), context, Caller.CLI,
          new JsonObject().put("amount", 1000 + i));
      queue.start(task).await();
      tasks.add(task);
    }
    return tasks;
  }

  /**
   * What a user would check once every chain settled: each order ran its 7 runs once (the counter
   * each run read and incremented says 7, its context's version says 7 committed writes, its chain
   * holds 7 run records with no task twice, and no two runs of the context overlapped in time), and
   * Stripe saw one create and one confirm (the charge) per order: one idempotency key each.
   */
  void assertEveryOrderRanOnceAndChargedOnce(RedisTaskQueue queue, List<Task> orders) {
    for (Task order : orders) {
      ChainStatus chain = queue.chain(order.chainId()).await();
      assertTrue(chain.settled(), "chain " + order.chainId() + " settled: " + chain);
      JsonObject state = queue.contextState(order.contextId()).await();
      assertEquals(RUNS_PER_CHAIN, state.getInteger("runs"), "runs counted by the context of " + order.contextId());
      assertEquals(1, state.getInteger("charged"), "one confirm answer ran for " + order.contextId());
      assertEquals(String.valueOf(RUNS_PER_CHAIN), queue.snapshot(order.contextId()).await().version(),
          "committed writes of " + order.contextId());
      assertRunsOnceAndOneAtATime(queue, order);
    }
    long creates = requests.keySet().stream().filter(key -> key.startsWith("/v1/payment_intents|")).count();
    long confirms = requests.keySet().stream().filter(key -> key.contains("/confirm|")).count();
    assertEquals(orders.size(), creates, "one create (one idempotency key) per order");
    assertEquals(orders.size(), confirms, "one charge (one confirm idempotency key) per order");
  }

  private static void assertRunsOnceAndOneAtATime(RedisTaskQueue queue, Task order) {
    List<JsonObject> records = queue.chains().runs(order.chainId(), 1000).await().stream().map(JsonObject.class::cast)
        .toList();
    assertEquals(RUNS_PER_CHAIN, records.size(), "run records of chain " + order.chainId());
    Set<String> tasks = new HashSet<>();
    List<JsonObject> runs = new ArrayList<>();
    for (JsonObject run : records) {
      assertTrue(tasks.add(run.getString("task_id")), "task " + run.getString("task_id") + " committed once");
      assertEquals("ok", run.getString("status"), "run " + run);
      runs.add(run);
    }
    runs.sort((a, b) -> Long.compare(a.getLong("started_at"), b.getLong("started_at")));
    for (int i = 1; i < runs.size(); i++) {
      long previousEndUs = runs.get(i - 1).getLong("started_at") * 1_000 + runs.get(i - 1).getLong("duration_us");
      // started_at is in ms: allow its truncation
      assertTrue(runs.get(i).getLong("started_at") * 1_000 + 1_000 >= previousEndUs,
          "runs of context " + order.contextId() + " one at a time: " + runs.get(i - 1) + " then " + runs.get(i));
    }
  }

  /** The token holding each worker id's lease (null when nobody holds it). */
  static Map<String, String> leases(Redis redis, List<String> workers) {
    Request get = Request.cmd(Command.MGET);
    workers.forEach(worker -> get.arg(RedisKeys.lease(worker)));
    Response answer = redis.send(get).await();
    Map<String, String> holders = new java.util.TreeMap<>();
    for (int i = 0; i < workers.size(); i++) {
      holders.put(workers.get(i), answer.get(i) == null ? null : answer.get(i).toString());
    }
    return holders;
  }

  /** Waits (up to two minutes each) until every one of {@code orders}' chains reads settled. */
  static void settle(Vertx vertx, RedisTaskQueue queue, List<Task> orders) {
    for (Task order : orders) {
      assertTrue(await(vertx, 120_000, () -> {
        ChainStatus chain = queue.chain(order.chainId()).await();
        return chain != null && chain.settled();
      }), "chain " + order.chainId() + " settled: " + queue.chain(order.chainId()).await());
    }
  }

  /** Polls an observable condition every 20 ms up to {@code limitMs}; false when it never held. */
  static boolean await(Vertx vertx, long limitMs, BooleanSupplier condition) {
    long deadline = System.currentTimeMillis() + limitMs;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        return false;
      }
      vertx.timer(20).await();
    }
    return true;
  }

  @Override
  public void close() {
    server.close().await();
  }

}
