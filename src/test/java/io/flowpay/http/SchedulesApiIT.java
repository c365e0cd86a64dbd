package io.flowpay.http;

import static io.flowpay.FlowpayHarness.write;
import static io.flowpay.http.HttpHardeningIT.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.TestRedis;
import io.flowpay.config.ScheduleOptions;
import io.flowpay.flow.Ids;
import io.flowpay.queue.ScheduleStore;
import io.flowpay.worker.Scheduler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /v1/schedules}: each schedule's next tick, last tick and its chain, and each tick's chain by name. */
@ExtendWith(TestRedis.Extension.class)
class SchedulesApiIT {

  private static final String OTHER = "merchant-b-token-0123456789";

  @Test
  void schedulesShowTheirTicksAndTheChainsTheyStarted(TestRedis redis, @TempDir Path flows) {
    write(flows, "ticked", "ctx.set('ran', true);");
    String name = "api-" + Ids.newId();
    ScheduleOptions[] schedule = new ScheduleOptions[1];
    try (HttpFixture http = new HttpFixture(redis, flows, options -> {
      schedule[0] = new ScheduleOptions(name, "0 * * * *", ZoneOffset.UTC, "ticked", new JsonObject(),
          options.workers().get(0), "merchant-a:" + name, ScheduleOptions.Missed.RUN_ONCE);
      return options.withSchedules(List.of(schedule[0]));
    }, List.of(HttpFixture.TOKEN, OTHER + ";contexts=merchant-b"))) {
      JsonObject before = only(http.get("/v1/schedules").bodyAsJsonObject());
      assertEquals("0 * * * *", before.getString("cron"));
      assertNull(before.getValue("last_tick"));
      assertTrue(Instant.parse(before.getString("next_tick")).isAfter(Instant.now()));

      Clock hour = Clock.fixed(Instant.parse("2031-05-06T07:00:00Z"), ZoneOffset.UTC);
      new Scheduler(http.flowpay.vertx, http.flowpay.node.queue(), new ScheduleStore(http.flowpay.node.redis(), 3600),
          List.of(schedule[0]), hour, false).fireDue().await();

      JsonObject after = only(http.get("/v1/schedules").bodyAsJsonObject());
      assertEquals("2031-05-06T07:00:00Z", after.getString("last_tick"));
      String chain = after.getString("last_chain_id");
      assertEquals(1, http.flowpay.awaitRuns(chain, 1).size(), "the tick's chain is the one that ran");
      JsonArray ticks = http.get("/v1/schedules/" + name + "?limit=10").bodyAsJsonObject().getJsonArray("ticks");
      assertEquals(new JsonArray().add(new JsonObject().put("tick", "2031-05-06T07:00:00Z").put("chain_id", chain)),
          ticks);
      assertEquals(200, http.get("/v1/chains/" + chain).statusCode());

      assertEquals(0, http.get("/v1/schedules", OTHER).bodyAsJsonObject().getJsonArray("schedules").size(),
          "a token of another namespace does not see the schedule");
      assertProblem(http.get("/v1/schedules/" + name, OTHER), 404, "not_found", "name");
      assertProblem(http.get("/v1/schedules/nope"), 404, "not_found", "name");
    }
  }

  private static JsonObject only(JsonObject answer) {
    JsonArray schedules = answer.getJsonArray("schedules");
    assertEquals(1, schedules.size(), answer.encode());
    return schedules.getJsonObject(0);
  }
}
