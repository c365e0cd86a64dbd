package io.flowpay.queue;

import static io.flowpay.FlowpayHarness.write;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flowpay.FlowpayHarness;
import io.flowpay.TestRedis;
import io.flowpay.flow.Ids;
import io.flowpay.config.ScheduleOptions;
import io.flowpay.flow.Task;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A context written by a version before the Cluster layout (its state at {@code flowpay:ctx:C}, its run records
 * at {@code flowpay:runs:C}) keeps both after the upgrade: its next run starts from the old state, and the state
 * and records move to its worker's keys.
 */
@ExtendWith(TestRedis.Extension.class)
class LayoutUpgradeIT {

  @TempDir
  Path flows;

  @Test
  void aContextsStateAndRunsFromBeforeTheClusterLayoutAreCarriedIntoItsNextRun(TestRedis redis) {
    write(flows, "main", "ctx.set('seen', ctx.get('paid')); ctx.set('runs_before', ctx.get('runs'));");
    try (FlowpayHarness flowpay = new FlowpayHarness(redis, flows)) {
      String context = "ctx-" + Ids.newId();
      flowpay.send(Request.cmd(Command.HSET).arg(RedisKeys.legacyContext(context)).arg("paid").arg("true")
          .arg("runs").arg("1").arg("_version").arg("3"));
      flowpay.send(Request.cmd(Command.XADD).arg(RedisKeys.legacyRuns(context)).arg("*").arg("run")
          .arg(new JsonObject().put("flow", "main").put("context_id", context).put("status", "ok").encode()));

      Task task = flowpay.start("main", context, new JsonObject());
      flowpay.settle(task);

      assertEquals(new JsonObject().put("paid", true).put("runs", 1).put("seen", true).put("runs_before", 1),
          flowpay.state(context), "the run started from the state written before the upgrade");
      assertEquals(0L, flowpay.send(Request.cmd(Command.EXISTS).arg(RedisKeys.legacyContext(context))
          .arg(RedisKeys.legacyRuns(context))).toLong(), "nothing is left under the old keys");
      assertEquals(2L, flowpay.send(Request.cmd(Command.XLEN).arg(RedisKeys.runs(flowpay.worker, context))).toLong(),
          "the old run record and the new one, on the context's worker");
    }
  }

  @Test
  void aSchedulesLastTickFromBeforeTheClusterLayoutCarriesOverSoNoTickStartsTwice(TestRedis redis) {
    try (FlowpayHarness flowpay = new FlowpayHarness(redis, flows)) {
      String name = "nightly-" + Ids.newId().substring(0, 8);
      ScheduleOptions schedule = new ScheduleOptions(name, "30 2 * * *", java.time.ZoneId.of("UTC"), "main",
          new JsonObject(), flowpay.worker, ScheduleOptions.defaultContext(name), ScheduleOptions.Missed.RUN_ONCE);
      flowpay.send(Request.cmd(Command.HSET).arg(RedisKeys.legacySchedule(name)).arg("last_tick").arg("1000")
          .arg("last_chain").arg("c-before").arg("since").arg("500"));
      flowpay.send(Request.cmd(Command.ZADD).arg(RedisKeys.legacySchedule(name) + ":ticks").arg("1000")
          .arg("1000:c-before"));
      ScheduleStore store = new ScheduleStore(flowpay.node.redis(), 3600);

      store.register(schedule, 2000).await();

      assertEquals(new ScheduleStore.State(name, 1000L, "c-before", 500L), store.state(schedule).await());
      assertEquals(List.of(new ScheduleStore.Tick(1000, "c-before")), store.ticks(schedule, 10).await());
      Task tick = Task.main("main", flowpay.worker, ScheduleOptions.defaultContext(name), io.flowpay.flow.Caller.SCHEDULE,
          new JsonObject());
      assertEquals(false, store.fire(schedule, 1000, tick).await(), "the tick started before the upgrade starts no"
          + " second chain");
    }
  }
}
