package io.flowpay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.failure.FlowpayFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The config's {@code schedules}: ticks in a time zone, defaults, and errors that name the schedule and the fix. */
class ScheduleOptionsTest {

  private static FlowpayOptions config(JsonObject schedule) {
    return new FlowpayOptions(new JsonObject().put("workers", new JsonArray().add("w1").add("w2"))
        .put("schedules", new JsonArray().add(schedule)));
  }

  private static String error(JsonObject schedule) {
    return assertThrows(FlowpayFailure.class, () -> config(schedule)).getMessage();
  }

  private static JsonObject nightly() {
    return new JsonObject().put("name", "nightly").put("cron", "0 2 * * *").put("flow", "reconcile");
  }

  @Test
  void aScheduleGetsItsDefaultsAndTicksInItsTimeZone() {
    ScheduleOptions schedule = config(nightly().put("timeZone", "Europe/Berlin")).schedules().get(0);
    assertEquals("w1", schedule.worker());
    assertEquals("schedule:nightly", schedule.context());
    assertEquals(ScheduleOptions.Missed.RUN_ONCE, schedule.missed());
    assertEquals(new JsonObject(), schedule.input());
    // 02:00 in Berlin in winter is 01:00 UTC
    assertEquals(Instant.parse("2031-01-10T01:00:00Z"), schedule.next(Instant.parse("2031-01-09T12:00:00Z")));
    assertEquals(Instant.parse("2031-01-09T01:00:00Z"), schedule.latest(Instant.parse("2031-01-09T12:00:00Z")));
  }

  @Test
  void sixFieldsHaveSecondsFirstAndTicksFallOnWholeSeconds() {
    ScheduleOptions schedule = config(nightly().put("cron", "*/10 * * * * *")).schedules().get(0);
    assertEquals(Instant.parse("2031-01-09T12:00:10Z"), schedule.next(Instant.parse("2031-01-09T12:00:00.700Z")));
    assertEquals(Instant.parse("2031-01-09T12:00:00Z"), schedule.latest(Instant.parse("2031-01-09T12:00:09.700Z")));
    assertEquals(Instant.parse("2031-01-09T12:00:10Z"), schedule.latest(Instant.parse("2031-01-09T12:00:10Z")));
  }

  @Test
  void badEntriesNameTheScheduleAndTheFix() {
    String cron = error(nightly().put("cron", "61 * * *"));
    assertTrue(cron.contains("schedule 'nightly'") && cron.contains("cron '61 * * *'") && cron.contains("5 fields"), cron);
    String zone = error(nightly().put("timeZone", "Mars/Olympus"));
    assertTrue(zone.contains("schedule 'nightly'") && zone.contains("Europe/Berlin"), zone);
    String flow = error(nightly().put("flow", "Reconcile-Now"));
    assertTrue(flow.contains("schedule 'nightly'") && flow.contains("snake_case"), flow);
    String worker = error(nightly().put("worker", "w9"));
    assertTrue(worker.contains("schedule 'nightly'") && worker.contains("[w1, w2]"), worker);
    String missed = error(nightly().put("missed", "catch-up"));
    assertTrue(missed.contains("run-once") && missed.contains("skip"), missed);
    String unknown = error(nightly().put("tz", "UTC"));
    assertTrue(unknown.contains("unknown key 'tz'") && unknown.contains("timeZone"), unknown);
    assertTrue(error(new JsonObject().put("name", "x").put("flow", "a")).contains("cron is missing"));
  }

  @Test
  void twoSchedulesMayNotShareAName() {
    JsonObject json = new JsonObject().put("schedules", new JsonArray().add(nightly()).add(nightly()));
    String message = assertThrows(FlowpayFailure.class, () -> new FlowpayOptions(json)).getMessage();
    assertTrue(message.contains("'nightly' is used twice"), message);
  }

  @Test
  void schedulesSurviveTheOtherWithers() {
    FlowpayOptions options = config(nightly());
    assertEquals(List.of("nightly"), options.withWorkers(List.of("w1")).withFlowsDir(java.nio.file.Path.of("x"))
        .schedules().stream().map(ScheduleOptions::name).toList());
  }
}
