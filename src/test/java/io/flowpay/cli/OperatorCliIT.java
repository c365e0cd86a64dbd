package io.flowpay.cli;

import static io.flowpay.FlowpayHarness.write;
import static io.flowpay.cli.CliRun.config;
import static io.flowpay.cli.CliRun.flowpay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.FlowpayHarness;
import io.flowpay.TestRedis;
import io.flowpay.cli.CliRun.Result;
import io.flowpay.config.WorkerOptions;
import io.flowpay.flow.Caller;
import io.flowpay.flow.Ids;
import io.flowpay.flow.Task;
import io.flowpay.queue.RedisKeys;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The operator's commands (chain, context, runs, flow list, workers) against a running node and a real Redis. */
@ExtendWith(TestRedis.Extension.class)
class OperatorCliIT {

  @TempDir
  Path dir;

  @Test
  void chainPrintsEachRunWithItsLogsStateWrittenAndFlowsStarted(TestRedis redis) throws IOException {
    Path flows = dir.resolve("flows");
    write(flows, "hello", "ctx.set('greeting', 'hello ' + input.name); flow.dispatch('bye', {name: input.name});");
    write(flows, "bye", "log.info('bye', input.name);");
    try (FlowpayHarness flowpay = new FlowpayHarness(redis, flows)) {
      String context = "ctx-" + Ids.newId();
      Task task = flowpay.start("hello", context, new JsonObject().put("name", "Ada"));
      flowpay.settle(task);

      Result chain = flowpay(Map.of(), "chain", task.chainId(), "--config", config(dir, redis, flows, flowpay.worker));

      assertEquals(0, chain.code(), chain.err());
      List<String> lines = chain.out().lines().toList();
      assertTrue(lines.get(0).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ok\\s+hello\\s+worker=" + flowpay.worker + " context="
          + context + " caller=cli \\d+\\.\\dms"), lines.get(0));
      assertEquals("             state greeting", lines.get(1));
      assertEquals("             start bye on " + flowpay.worker + "/" + context, lines.get(2));
      assertTrue(lines.get(3).contains(" ok        bye "), lines.get(3));
      assertEquals("             info  bye Ada", lines.get(4));
      assertEquals("chain " + task.chainId() + " settled: 2 run(s), 0 failed", lines.get(5));

      Result missing = flowpay(Map.of(), "chain", "no-such-chain", "--config", config(dir, redis, flows, flowpay.worker));
      assertEquals(1, missing.code());
      assertTrue(missing.err().startsWith("flowpay: no chain 'no-such-chain' in Redis"), missing.err());
    }
  }

  @Test
  void contextShowsStateAndRecentRunsNewestFirst(TestRedis redis) throws IOException {
    Path flows = dir.resolve("flows");
    write(flows, "count", "ctx.set('runs', (ctx.get('runs') || 0) + 1);");
    try (FlowpayHarness flowpay = new FlowpayHarness(redis, flows)) {
      String context = "ctx-" + Ids.newId();
      List<Task> tasks = List.of(flowpay.start("count", context, null), flowpay.start("count", context, null));
      tasks.forEach(flowpay::settle);
      String config = config(dir, redis, flows, flowpay.worker);

      Result json = flowpay(Map.of(), "context", context, "--json", "--config", config);
      assertEquals(0, json.code(), json.err());
      JsonObject shown = new JsonObject(json.out());
      assertEquals(new JsonObject().put("runs", 2), shown.getJsonObject("state"));
      assertEquals(2, shown.getJsonArray("runs").size());
      assertEquals(tasks.get(1).taskId(), shown.getJsonArray("runs").getJsonObject(0).getString("task_id"));

      Result text = flowpay(Map.of(), "context", context, "--limit", "1", "--config", config);
      assertTrue(text.out().startsWith("context " + context + " state:\n{\n  \"runs\" : 2\n}\n1 most recent run(s):\n"),
          text.out());
      assertTrue(text.out().contains(" chain=" + tasks.get(1).chainId()), text.out());

      Result none = flowpay(Map.of(), "context", "ctx-nothing-" + Ids.newId(), "--config", config);
      assertEquals(1, none.code());
    }
  }

  @Test
  void runsListsFailedRunsOfAFlowSinceATime(TestRedis redis) throws IOException {
    Path flows = dir.resolve("flows");
    String good = "good_" + Ids.newId().substring(0, 8);
    String bad = "bad_" + Ids.newId().substring(0, 8);
    write(flows, good, "ctx.set('ok', true);");
    write(flows, bad, "if (input.fail) { throw new Error('no such customer'); }");
    try (FlowpayHarness flowpay = new FlowpayHarness(redis, flows)) {
      Instant before = Instant.now().minusSeconds(1);
      Task failing = flowpay.start(bad, "ctx-" + Ids.newId(), new JsonObject().put("fail", true));
      List.of(failing, flowpay.start(bad, "ctx-" + Ids.newId(), new JsonObject()), flowpay.start(good, "ctx-" + Ids.newId(), null))
          .forEach(flowpay::settle);
      String config = config(dir, redis, flows, flowpay.worker);
      flowpay.send(Request.cmd(Command.SET).arg(RedisKeys.runs(flowpay.worker, "not-a-stream-" + suffixOf(bad))).arg("x"));

      Result failed = flowpay(Map.of(), "runs", "--failed", "--flow", bad, "--since", before.toString(), "--json",
          "--config", config);
      assertEquals(0, failed.code(), failed.err());
      List<JsonObject> runs = failed.out().lines().map(JsonObject::new).toList();
      assertEquals(1, runs.size(), failed.out());
      assertEquals(failing.taskId(), runs.get(0).getString("task_id"));
      assertEquals("failed", runs.get(0).getString("status"));
      assertTrue(runs.get(0).getJsonObject("error").getString("message").contains("no such customer"), runs.get(0).encode());

      Result ofBad = flowpay(Map.of(), "runs", "--flow", bad, "--since", "5m", "--config", config);
      assertEquals(0, ofBad.code(), ofBad.err());
      assertEquals(2, ofBad.out().lines().filter(line -> line.contains(" " + bad + " ")).count(), ofBad.out());
      assertTrue(ofBad.out().contains("/" + bad + ".js:1: Error: no such customer"), ofBad.out());

      Result later = flowpay(Map.of(), "runs", "--flow", good, "--since", Instant.now().plusSeconds(60).toString(),
          "--config", config);
      assertTrue(later.out().startsWith("no runs of flow " + good + " since "), later.out());

      Result badSince = flowpay(Map.of(), "runs", "--since", "yesterday", "--config", config);
      assertEquals(2, badSince.code());
      assertTrue(badSince.err().contains("use e.g. 2026-12-06T04:00:00Z, 30s, 15m, 2h or 1d"), badSince.err());
    }
  }

  /**
   * A run that failed on a bug is run again once the flow is fixed: the same task (its reply, carry
   * and idempotency keys), a fresh attempt, in its chain, audited.
   */
  @Test
  void aFailedRunIsRetriedOnceItsFlowIsFixed(TestRedis redis) throws IOException {
    Path flows = dir.resolve("flows");
    String flow = "ship_" + Ids.newId().substring(0, 8);
    write(flows, flow, "ctx.set('carrier', input.carrier.toUpperCase(1, 2, 3).nope.x);");
    try (FlowpayHarness flowpay = new FlowpayHarness(redis, flows)) {
      String context = "ctx-" + Ids.newId();
      Task task = flowpay.start(flow, context, new JsonObject().put("carrier", "ups"));
      assertEquals("failed", flowpay.settle(task).get(0).getString("status"));
      String config = config(dir, redis, flows, flowpay.worker);
      write(flows, flow, "ctx.set('carrier', input.carrier.toUpperCase());");

      Result retried = flowpay(Map.of(), "runs", "--retry", task.taskId(), "--context", context, "--by", "ops-ada",
          "--config", config);

      assertEquals(0, retried.code(), retried.err());
      assertTrue(retried.out().startsWith("retried task " + task.taskId() + " of flow " + flow), retried.out());
      List<JsonObject> runs = flowpay.awaitRuns(task.chainId(), 2);
      assertEquals(List.of("failed", "ok"), runs.stream().map(run -> run.getString("status")).toList());
      assertEquals(task.taskId(), runs.get(1).getString("task_id"), "the same task, run again");
      assertEquals("UPS", flowpay.state(context).getString("carrier"));
      assertEquals("settled", flowpay.queue.chain(task.chainId()).await().status());
      JsonObject audit = flowpay.queue.deadAudit(flowpay.worker).await().stream()
          .filter(entry -> "retry_run".equals(entry.getString("action"))).findFirst().orElseThrow();
      assertEquals("ops-ada", audit.getString("by"));
      assertEquals(task.taskId(), audit.getString("task_id"));

      Result again = flowpay(Map.of(), "runs", "--retry", task.taskId(), "--context", context, "--config", config);
      assertEquals(1, again.code(), "its last run succeeded: nothing to retry");
      assertTrue(again.out().contains("no failed run of task " + task.taskId()), again.out());
      Result noContext = flowpay(Map.of(), "runs", "--retry", task.taskId(), "--config", config);
      assertEquals(2, noContext.code());
      assertTrue(noContext.err().contains("--retry needs --context"), noContext.err());
    }
  }

  @Test
  void flowListShowsEachFlowOkFailingOrDisabledWithItsLastError(TestRedis redis) throws IOException {
    Path flows = dir.resolve("flows");
    String suffix = Ids.newId().substring(0, 8);
    write(flows, "fine_" + suffix, "");
    write(flows, "flaky_" + suffix, "throw new Error('flaky');");
    write(flows, "broken_" + suffix, "ctx.set('broken for good', ;");
    try (FlowpayHarness flowpay = new FlowpayHarness(redis, flows, null, options -> options.withWorker(
        options.worker().withLimits(WorkerOptions.DEFAULT_MAX_DELIVERIES, WorkerOptions.DEFAULT_MAX_DEPTH, 2)))) {
      for (String flow : List.of("fine_" + suffix, "flaky_" + suffix, "broken_" + suffix, "broken_" + suffix)) {
        flowpay.settle(flowpay.start(flow, "ctx-" + Ids.newId(), null));
      }
      String config = config(dir, redis, flows, flowpay.worker);

      Result json = flowpay(Map.of(), "flow", "list", "--json", "--config", config);
      assertEquals(0, json.code(), json.err());
      List<JsonObject> listed = json.out().lines().map(JsonObject::new).toList();
      assertEquals(List.of("broken_" + suffix, "fine_" + suffix, "flaky_" + suffix),
          listed.stream().map(health -> health.getString("flow")).toList());
      assertEquals(List.of("disabled", "ok", "failing"), listed.stream().map(health -> health.getString("status")).toList());
      assertTrue(listed.get(0).getString("last_error").contains("broken_" + suffix + ".js:1"), listed.get(0).encode());

      Result text = flowpay(Map.of(), "flow", "list", "--config", config);
      assertTrue(text.out().lines().anyMatch(line -> line.matches("flaky_" + suffix + " +failing +\\d{4}-.*Z .*flaky.*")),
          text.out());
    }
  }

  @Test
  void workersShowsWhoReadsEachStreamWhatIsQueuedAndTheLag(TestRedis redis) throws IOException {
    Path flows = dir.resolve("flows");
    write(flows, "hello", "");
    try (FlowpayHarness flowpay = new FlowpayHarness(redis, flows)) {
      flowpay.settle(flowpay.start("hello", "ctx-" + Ids.newId(), null));
      String unserved = "w-nobody-" + Ids.newId().substring(0, 8);
      flowpay.queue.start(Task.main("hello", unserved, "ctx-" + Ids.newId(), Caller.CLI, null)).await();

      Result json = flowpay(Map.of(), "workers", "--json", "--config", config(dir, redis, flows, flowpay.worker));
      assertEquals(0, json.code(), json.err());
      List<JsonObject> workers = json.out().lines().map(JsonObject::new).toList();
      JsonObject served = workers.stream().filter(w -> w.getString("worker_id").equals(flowpay.worker)).findFirst().orElseThrow();
      assertTrue(served.getBoolean("active"), served.encode());
      assertEquals(flowpay.worker, served.getJsonArray("consumers").getJsonObject(0).getString("name"));
      assertEquals(0L, served.getLong("queued"));
      JsonObject idle = workers.stream().filter(w -> w.getString("worker_id").equals(unserved)).findFirst().orElseThrow();
      assertFalse(idle.getBoolean("active"), idle.encode());
      assertEquals(1L, idle.getLong("queued"));
      assertTrue(idle.getJsonArray("consumers").isEmpty());

      Result text = flowpay(Map.of(), "workers", "--config", config(dir, redis, flows, flowpay.worker));
      assertTrue(text.out().lines().anyMatch(line -> line.matches(unserved + " +0/0 +1 +0 +\\d+\\.\\ds +0 +0 +0")), text.out());
    }
  }

  private static String suffixOf(String name) {
    return name.substring(name.indexOf('_') + 1);
  }
}
