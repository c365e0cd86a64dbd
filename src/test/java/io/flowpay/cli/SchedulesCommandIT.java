package io.flowpay.cli;

import static io.flowpay.FlowpayHarness.write;
import static io.flowpay.cli.CliRun.flowpay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.FlowpayHarness;
import io.flowpay.TestRedis;
import io.flowpay.cli.CliRun.Result;
import io.flowpay.config.ScheduleOptions;
import io.flowpay.flow.Ids;
import io.flowpay.queue.ScheduleStore;
import io.flowpay.worker.Scheduler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code flowpay schedules}: the config's schedules with their ticks, and a tick's chain by the schedule's name. */
@ExtendWith(TestRedis.Extension.class)
class SchedulesCommandIT {

  @Test
  void listsSchedulesAndEachTicksChain(TestRedis redis, @TempDir Path flows, @TempDir Path conf) throws IOException {
    write(flows, "ticked", "ctx.set('ran', true);");
    String name = "cli-" + Ids.newId();
    try (FlowpayHarness flowpay = new FlowpayHarness(redis, flows)) {
      Path config = conf.resolve("flowpay.json");
      Files.writeString(config, new JsonObject().put("redis", new JsonObject().put("url", redis.url()))
          .put("workers", new JsonArray().add(flowpay.worker)).put("flowsDir", flows.toString())
          .put("schedules", new JsonArray().add(new JsonObject().put("name", name).put("cron", "30 2 * * *")
              .put("timeZone", "Europe/Berlin").put("flow", "ticked"))).encodePrettily());
      ScheduleOptions schedule = new ScheduleOptions(name, "30 2 * * *", java.time.ZoneId.of("Europe/Berlin"), "ticked",
          new JsonObject(), flowpay.worker, ScheduleOptions.defaultContext(name), ScheduleOptions.Missed.RUN_ONCE);
      Clock night = Clock.fixed(Instant.parse("2031-01-10T01:30:00Z"), ZoneOffset.UTC);
      new Scheduler(flowpay.vertx, flowpay.node.queue(), new ScheduleStore(flowpay.node.redis(), 3600),
          List.of(schedule), night, false).fireDue().await();
      String chain = new ScheduleStore(flowpay.node.redis(), 3600).state(schedule).await().lastChain();

      Result list = flowpay(Map.of(), "schedules", "--config", config.toString());
      assertEquals(0, list.code(), list.err());
      String line = list.out().lines().filter(text -> text.startsWith(name)).findFirst().orElseThrow();
      assertTrue(line.contains("30 2 * * *") && line.contains("Europe/Berlin") && line.contains("2031-01-10T01:30:00Z")
          && line.contains(chain), line);

      Result ticks = flowpay(Map.of(), "schedules", name, "--config", config.toString());
      assertEquals(0, ticks.code(), ticks.err());
      assertTrue(ticks.out().lines().anyMatch(tick -> tick.matches("2031-01-10T01:30:00Z +" + chain)), ticks.out());

      Result missing = flowpay(Map.of(), "schedules", "nope", "--config", config.toString());
      assertEquals(1, missing.code());
      assertTrue(missing.err().contains("no schedule 'nope'"), missing.err());
    }
  }
}
