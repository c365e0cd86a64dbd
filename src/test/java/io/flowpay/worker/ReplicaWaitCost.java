package io.flowpay.worker;

import static io.flowpay.FlowpayHarness.write;

import io.flowpay.flow.Caller;
import io.flowpay.config.FlowpayOptions;
import io.flowpay.config.StripeOptions;
import io.flowpay.flow.Ids;
import io.flowpay.metrics.FlowMetrics;
import io.micrometer.core.instrument.Timer;
import io.flowpay.flow.Task;
import io.flowpay.queue.ChainWatch;
import io.flowpay.queue.RedisProcesses;
import io.flowpay.stripe.FaultyStripe;
import io.flowpay.stripe.WebClientStripeClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A benchmark, not a test: what {@code redis.waitReplicas: 1} costs. A primary and a replica (redis-server
 * processes on loopback), a node, a Stripe stand-in that answers at once; chains {@code pay → create →
 * response} (one commit whose call waits, then the answer's run), one at a time (latency) and 64 at once
 * (throughput), with WAIT off and on. Run with
 * {@code java -cp target/flowpay.jar:target/test-classes io.flowpay.worker.ReplicaWaitCost [chains]}.
 */
final class ReplicaWaitCost {

  private ReplicaWaitCost() {}

  public static void main(String[] args) throws Exception {
    int chains = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    Path dir = Files.createTempDirectory("flowpay-wait-cost");
    Path flows = dir.resolve("flows");
    write(flows, "pay", "stripe.paymentIntents.create({amount: input.amount, currency: 'eur'});");
    write(flows, "new_create_payment_intent_response", "ctx.set('intent', response.id);");
    write(flows, "new_create_payment_intent_error", "ctx.set('error', true);");
    Vertx vertx = Vertx.vertx();
    try (RedisProcesses redis = new RedisProcesses(dir, vertx); FaultyStripe stripe = new FaultyStripe(vertx, 1, 0, 0)) {
      RedisProcesses.Node primary = redis.primary();
      redis.replica(primary);
      for (int round = 0; round < 4; round++) {
        for (int replicas : new int[] {0, 1}) {
          measure(vertx, primary, stripe, flows, replicas, chains, round < 2);
        }
      }
    } finally {
      vertx.close().await();
    }
  }

  private static void measure(Vertx vertx, RedisProcesses.Node primary, FaultyStripe stripe, Path flows, int replicas,
      int chains, boolean warmUp) {
    FlowpayOptions defaults = new FlowpayOptions();
    String worker = "w-cost-" + Ids.newId().substring(0, 8);
    FlowpayOptions options = defaults.withRedis(defaults.redis().withUrl(primary.url()).withWait(replicas, 1_000))
        .withStripe(new StripeOptions(stripe.baseUrl(), "2026-07-29.dahlia", 2_000, 5_000))
        .withWorkers(List.of(worker)).withFlowsDir(flows);
    FlowMetrics metrics = new FlowMetrics();
    FlowpayNode node = FlowpayNode.start(vertx, options, new WebClientStripeClient(vertx, options.stripe(), "sk_test_cost"),
        metrics).await();
    var reader = node.newReadClient(options);
    try {
      RedisConnection connection = reader.connect().await();
      long[] latencyUs = new long[chains];
      for (int i = 0; i < chains; i++) {
        long started = System.nanoTime();
        Task task = task(worker, i);
        node.queue().start(task).await();
        ChainWatch.follow(node.queue(), connection, task.chainId(), run -> { }, 30_000).await();
        latencyUs[i] = (System.nanoTime() - started) / 1_000;
      }
      Timer sequentialWait = metrics.registry().find("flowpay.redis.wait").timer();
      String oneAtATime = sequentialWait == null ? "none" : String.format("mean %.2f ms over %d calls",
          sequentialWait.mean(TimeUnit.MILLISECONDS), sequentialWait.count());
      long started = System.nanoTime();
      List<Task> tasks = new ArrayList<>();
      for (int i = 0; i < chains; i++) {
        tasks.add(task(worker, i));
      }
      List<Future<String>> starts = tasks.stream().map(node.queue()::start).toList();
      Future.all(starts).await();
      for (Task task : tasks) {
        ChainWatch.follow(node.queue(), connection, task.chainId(), run -> { }, 60_000).await();
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      Arrays.sort(latencyUs);
      if (!warmUp) {
        Timer wait = metrics.registry().find("flowpay.redis.wait").timer();
        System.out.printf("waitReplicas=%d: one chain at a time p50 %.2f ms, p90 %.2f ms, p99 %.2f ms;"
                + " %d chains at once: %.0f chains/s; a call's WAIT one at a time: %s, in all: %s%n", replicas, latencyUs[chains / 2] / 1000.0,
            latencyUs[chains * 9 / 10] / 1000.0, latencyUs[chains * 99 / 100] / 1000.0, chains, chains / seconds, oneAtATime,
            wait == null ? "none" : String.format("mean %.2f ms, max %.2f ms over %d calls",
                wait.mean(TimeUnit.MILLISECONDS), wait.max(TimeUnit.MILLISECONDS), wait.count()));
      }
    } finally {
      reader.close();
      node.stop().await();
    }
  }

  private static Task task(String worker, int i) {
    return Task.main("pay", worker, "ctx-" + Ids.newId(), Caller.CLI, new JsonObject().put("amount", 1000 + i));
  }
}
