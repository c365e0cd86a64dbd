package io.flowpay.worker;

import static io.flowpay.FlowpayHarness.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.Main;
import io.flowpay.config.FlowpayOptions;
import io.flowpay.flow.Caller;
import io.flowpay.flow.Ids;
import io.flowpay.flow.Task;
import io.flowpay.metrics.FlowMetrics;
import io.flowpay.queue.ChainStatus;
import io.flowpay.queue.RedisKeys;
import io.flowpay.queue.RedisTaskQueue;
import io.flowpay.standin.RedisCluster;
import io.flowpay.stripe.WebClientStripeClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operators' commands on a chain whose home is a worker in another Cluster slot than the task they act on
 * ({@code dead retry}, {@code dead drop}, {@code runs --retry}, through the CLI as an operator types them), on a
 * Redis Cluster of three primaries: no cross-slot error, and each chain settles.
 */
class ClusterOperatorsIT {

  @TempDir
  Path dir;

  /**
   * Chains start on worker A and dispatch a flow that cannot run (a syntax error) to worker B, in another slot. The
   * first run fails and disables the flow on B; the next three chains' tasks are parked there (the chains stuck).
   * Once the flow is fixed and its switch cleared: {@code runs --retry} the failed run, {@code dead retry} one parked
   * task, {@code dead drop} another, and {@code flow enable} queues the last one again (as {@code dead retry} does).
   * Each chain settles at its home A, each task that ran again ran once, and B's audit says who.
   */
  @Test
  void deadRetryDeadDropAndRunsRetryOfAChainHomedInAnotherSlotSettleIt() throws IOException {
    Path flows = dir.resolve("flows");
    write(flows, "opsmain", "flow.dispatch('fragile', {}, {worker: input.to, context: input.ctx});");
    write(flows, "fragile", "ctx.set('ok', true;");
    Vertx vertx = Vertx.vertx();
    FlowpayNode node = null;
    try (RedisCluster cluster = RedisCluster.start(dir.resolve("cluster"), 3)) {
      List<String> ids = twoWorkersOnTwoNodes(cluster);
      String home = ids.get(0);
      String other = ids.get(1);
      FlowpayOptions defaults = new FlowpayOptions();
      FlowpayOptions options = defaults.withRedis(defaults.redis().withCluster(cluster.endpoints())).withWorkers(ids)
          .withWorker(defaults.worker().withLimits(defaults.worker().maxDeliveries(), defaults.worker().maxDepth(), 1))
          .withFlowsDir(flows);
      node = FlowpayNode.start(vertx, options, new WebClientStripeClient(vertx, options.stripe(), "sk_test_cluster"),
          new FlowMetrics()).await();
      RedisTaskQueue queue = node.queue();
      String config = config(cluster, ids, flows);

      Task failing = start(queue, home, other);
      awaitStatus(vertx, queue, failing, "settled");
      Task retried = start(queue, home, other);
      Task dropped = start(queue, home, other);
      Task requeued = start(queue, home, other);
      for (Task parked : List.of(retried, dropped, requeued)) {
        awaitStatus(vertx, queue, parked, "stuck");
      }
      write(flows, "fragile", "ctx.set('ok', (ctx.get('ok') || 0) + 1);");
      assertTrue(queue.enableFlow("fragile").await(), "the switch only: the parked tasks stay for the operator");

      JsonObject failedRun = runsOf(node, failing).get(1);
      assertEquals("failed", failedRun.getString("status"), "the first chain's run on " + other + ": " + failedRun);
      CliResult rerun = flowpay(config, "runs", "--retry", failedRun.getString("task_id"), "--context",
          failedRun.getString("context_id"), "--by", "ops-ada");
      assertEquals(0, rerun.code(), rerun.err() + rerun.out());
      CliResult retry = flowpay(config, "dead", "retry", letterOf(config, other, retried), "--worker", other,
          "--by", "ops-ada");
      assertEquals(0, retry.code(), retry.err() + retry.out());
      CliResult drop = flowpay(config, "dead", "drop", letterOf(config, other, dropped), "--worker", other,
          "--by", "ops-bob");
      assertEquals(0, drop.code(), drop.err() + drop.out());
      CliResult enable = flowpay(config, "flow", "enable", "fragile");
      assertEquals(0, enable.code(), enable.err() + enable.out());
      assertTrue(enable.out().contains("1 task(s) of fragile parked while it was disabled are queued again"),
          enable.out());

      for (Task chain : List.of(failing, retried, dropped, requeued)) {
        awaitStatus(vertx, queue, chain, "settled");
      }
      assertEquals(List.of("ok", "failed", "ok"), statuses(node, failing), "the failed run ran again, once");
      assertEquals(List.of("ok", "dead", "ok"), statuses(node, retried), "the parked task ran, once");
      assertEquals(List.of("ok", "dead"), statuses(node, dropped), "the dropped task never ran");
      assertEquals(List.of("ok", "dead", "ok"), statuses(node, requeued), "the task queued again ran, once");
      assertEquals("1", hget(node, dropped, "dropped"), "the home counts the dropped task");
      for (Task ran : List.of(failing, retried, requeued)) {
        assertEquals(new JsonObject().put("ok", 1), queue.contextState(contextOf(ran)).await());
      }
      assertEquals(new JsonObject(), queue.contextState(contextOf(dropped)).await());
      List<String> audit = queue.deadAudit(other).await().stream()
          .map(entry -> entry.getString("action") + " by " + entry.getString("by")).toList();
      assertEquals(List.of("retry_run by ops-ada", "retry by ops-ada", "drop by ops-bob", "retry by flow enable"),
          audit);
      node.stop().await();
      node = null;
    } finally {
      if (node != null) {
        node.stop().await();
      }
      vertx.close().await();
    }
  }

  /** Two worker ids whose keys are on different primaries of the cluster (so in different slots). */
  private static List<String> twoWorkersOnTwoNodes(RedisCluster cluster) {
    String prefix = "op-" + Ids.newId().substring(0, 6) + "-";
    String first = prefix + 0;
    int firstNode = cluster.nodeOfSlot(RedisCluster.slot(RedisKeys.tasks(first)));
    for (int n = 1; ; n++) {
      String id = prefix + n;
      if (cluster.nodeOfSlot(RedisCluster.slot(RedisKeys.tasks(id))) != firstNode) {
        return List.of(first, id);
      }
    }
  }

  private static Task start(RedisTaskQueue queue, String home, String other) {
    JsonObject input = new JsonObject().put("to", other).put("ctx", "parcel-" + Ids.newId().substring(0, 12));
    Task task = Task.main("opsmain", home, "order-" + Ids.newId().substring(0, 12), Caller.CLI, input);
    queue.start(task).await();
    return task;
  }

  private static String contextOf(Task main) {
    return ((JsonObject) main.input()).getString("ctx");
  }

  private static void awaitStatus(Vertx vertx, RedisTaskQueue queue, Task main, String status) {
    assertTrue(PaymentChains.await(vertx, 60_000, () -> {
      ChainStatus chain = queue.chain(main.chainId()).await();
      return chain != null && status.equals(chain.status()) && chain.pending() == 0;
    }), "chain " + main.chainId() + " " + status + ": " + queue.chain(main.chainId()).await());
  }

  private static List<JsonObject> runsOf(FlowpayNode node, Task main) {
    return node.queue().chains().runs(main.chainId(), 1000).await().stream().map(JsonObject.class::cast).toList();
  }

  private static List<String> statuses(FlowpayNode node, Task main) {
    return runsOf(node, main).stream().map(run -> run.getString("status")).toList();
  }

  private static String hget(FlowpayNode node, Task main, String field) {
    Response value = node.redis().send(Request.cmd(Command.HGET).arg(RedisKeys.chain(main.chainId())).arg(field))
        .await();
    return value == null ? null : value.toString();
  }

  /** The id of the dead letter on {@code worker} of {@code main}'s chain, as {@code dead list --json} prints it. */
  private static String letterOf(String config, String worker, Task main) {
    CliResult list = flowpay(config, "dead", "list", "--json", "--worker", worker);
    assertEquals(0, list.code(), list.err());
    for (String line : list.out().strip().split("\n")) {
      JsonObject letter = new JsonObject(line);
      if (main.chainId().equals(letter.getJsonObject("task").getString("chain_id"))) {
        return letter.getString("id");
      }
    }
    throw new AssertionError("no dead letter of chain " + main.chainId() + " in " + list.out());
  }

  private String config(RedisCluster cluster, List<String> workers, Path flows) throws IOException {
    JsonObject config = new JsonObject()
        .put("redis", new JsonObject().put("mode", "cluster").put("endpoints", new JsonArray(cluster.endpoints())))
        .put("workers", new JsonArray(workers))
        .put("flowsDir", flows.toString());
    return Files.writeString(dir.resolve("flowpay.json"), config.encode()).toString();
  }

  private record CliResult(int code, String out, String err) {}

  private static CliResult flowpay(String config, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> line = new ArrayList<>(List.of(args));
    line.addAll(List.of("--config", config));
    int code = Main.execute(Map.of(), new PrintWriter(out, true), new PrintWriter(err, true),
        line.toArray(String[]::new));
    return new CliResult(code, out.toString(), err.toString());
  }
}
