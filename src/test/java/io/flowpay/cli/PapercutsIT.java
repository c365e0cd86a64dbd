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
import io.flowpay.flow.Ids;
import io.flowpay.flow.Task;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** What a newcomer tripped over: exit codes, one-line errors, readable times and audit, warnings that come at once. */
@ExtendWith(TestRedis.Extension.class)
class PapercutsIT {

  @TempDir
  Path dir;

  @Test
  void runFollowOnAWorkerNobodyServesWarnsWithinSecondsThenExitsOneAtTheTimeout(TestRedis redis) throws IOException {
    Path flows = dir.resolve("flows");
    write(flows, "hello", "");
    String worker = "w-unserved-" + Ids.newId().substring(0, 8);
    Result result = flowpay(Map.of(), "run", "hello", "--worker", worker, "--follow", "--timeout", "1",
        "--config", config(dir, redis, flows, worker));

    assertEquals(1, result.code(), result.err());
    String warning = "flowpay: warning: no worker took the task from worker " + worker + "'s stream within 3 s (it never"
        + " took a task)";
    assertTrue(result.err().startsWith(warning), result.err());
    assertTrue(result.err().indexOf("is not settled yet") > result.err().indexOf(warning), result.err());
  }

  @Test
  void runOnAWorkerTheConfigDoesNotNameIsRefusedBeforeAnythingIsQueued(TestRedis redis) throws IOException {
    Path flows = dir.resolve("flows");
    write(flows, "hello", "");
    String served = "w-served-" + Ids.newId().substring(0, 8);
    String other = "w-other-" + Ids.newId().substring(0, 8);
    Result result = flowpay(Map.of(), "run", "hello", "--worker", other, "--config", config(dir, redis, flows, served));

    assertEquals(2, result.code(), result.err());
    assertTrue(result.err().contains("--worker '" + other + "' is not one of the config's workers (" + served + ")"),
        result.err());
    Result workers = flowpay(Map.of(), "workers", "--json", "--config", config(dir, redis, flows, served));
    assertFalse(workers.out().contains(other), "nothing was queued for " + other + ": " + workers.out());
  }

  @Test
  void serveOnAPortInUseSaysWhichPortInOneLine(TestRedis redis) throws IOException {
    try (ServerSocket taken = new ServerSocket(0)) {
      Path config = Files.writeString(dir.resolve("flowpay.json"), new JsonObject()
          .put("redis", new JsonObject().put("url", redis.url())).put("workers", List.of("w-port-" + Ids.newId()))
          .put("flowsDir", dir.toString()).put("http", new JsonObject().put("port", taken.getLocalPort())).encode());
      Result result = flowpay(Map.of("STRIPE_SECRET_KEY", "sk_test_x", "FLOWPAY_API_TOKENS",
          "0123456789abcdef0123"), "serve", "--config", config.toString());

      assertEquals(2, result.code());
      assertEquals("flowpay: cannot start the HTTP API: 127.0.0.1:" + taken.getLocalPort() + " is in use (another"
          + " flowpay serve?): stop what listens there, or set another http.port (--port with --local)", result.err().strip());
    }
  }

  @Test
  void aFlowBeingDisabledIsLoggedOnceWithItsLastErrorAndFlowStatusShowsIsoTimes(TestRedis redis) throws IOException {
    Path flows = dir.resolve("flows");
    String flow = "boom_" + Ids.newId().substring(0, 8);
    write(flows, flow, "ctx.set('card table missing', ;");
    List<LogRecord> warnings = new CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        if (record.getLevel() == Level.WARNING && String.valueOf(record.getParameters()[1]).contains("is disabled")) {
          warnings.add(record);
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger logger = Logger.getLogger("io.flowpay.worker");
    logger.addHandler(capture);
    try (FlowpayHarness flowpay = new FlowpayHarness(redis, flows, null, options -> options.withWorker(
        options.worker().withLimits(WorkerOptions.DEFAULT_MAX_DELIVERIES, WorkerOptions.DEFAULT_MAX_DEPTH, 2)))) {
      for (int i = 0; i < 4; i++) {
        Task task = flowpay.start(flow, "ctx-" + Ids.newId(), null);
        flowpay.settle(task);
      }
      assertEquals(1, warnings.size(), "one line when the worker first finds the flow disabled");
      String line = String.valueOf(warnings.get(0).getParameters()[1]);
      assertTrue(line.startsWith("flow " + flow + " is disabled") && line.contains(flow + ".js:1"), line);

      Result status = flowpay(Map.of(), "flow", "status", flow, "--config",
          config(dir, redis, flows, flowpay.worker));
      JsonObject json = new JsonObject(status.out());
      assertTrue(json.getBoolean("disabled"));
      assertTrue(json.getString("disabled_at").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z"), json.encode());
      assertTrue(json.getString("last_failed_at").endsWith("Z"), json.encode());
    } finally {
      logger.removeHandler(capture);
    }
  }

  @Test
  void flowStatusAndEnableOfANameThatIsNoFlowSayNoSuchFlowInsteadOfNotDisabled(TestRedis redis) throws IOException {
    Path flows = dir.resolve("flows");
    write(flows, "hello", "");
    String config = config(dir, redis, flows, "w1");
    String typo = "helo_" + Ids.newId().substring(0, 8);
    for (String action : List.of("status", "enable")) {
      Result result = flowpay(Map.of(), "flow", action, typo, "--config", config);
      assertEquals(2, result.code(), result.err());
      assertTrue(result.err().contains("no flow named '" + typo + "': no file " + typo + ".js in " + flows), result.err());
    }
    Result known = flowpay(Map.of(), "flow", "status", "hello", "--config", config);
    assertEquals(0, known.code(), known.err());
    assertFalse(new JsonObject(known.out()).getBoolean("disabled"));
  }

  @Test
  void runsWithALimitBelowOneIsAUsageErrorNotOneRun(TestRedis redis) throws IOException {
    Path flows = dir.resolve("flows");
    write(flows, "hello", "");
    Result result = flowpay(Map.of(), "runs", "--limit", "0", "--config", config(dir, redis, flows, "w1"));
    assertEquals(2, result.code(), result.err());
    assertTrue(result.err().contains("--limit must be at least 1 (got 0)"), result.err());
  }
}
