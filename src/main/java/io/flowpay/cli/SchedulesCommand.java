package io.flowpay.cli;

import io.flowpay.config.FlowpayOptions;
import io.flowpay.config.ScheduleOptions;
import io.flowpay.queue.ScheduleStore;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code flowpay schedules [NAME]}: the config's schedules with their next tick, last tick and its chain;
 * with a name, that schedule's newest ticks, each with the chain it started.
 */
@Command(name = "schedules", mixinStandardHelpOptions = true,
    description = "The config's schedules: cron, time zone, flow, next tick, last tick and the chain it started."
        + " With NAME: that schedule's newest ticks and their chains (see them with 'flowpay chain show ID').%n"
        + "Exit code: 0 on success, 1 when NAME is not a schedule or Redis fails, 2 for usage/config errors.")
public final class SchedulesCommand extends ConfiguredCommand {

  @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "A schedule's name: list its ticks.")
  String name;

  @Option(names = "--limit", defaultValue = "20", description = "With NAME: how many ticks, newest first (default 20).")
  int limit;

  @Option(names = "--json", description = "One JSON object per schedule per line.")
  boolean json;

  @Override
  int run(PrintWriter out, FlowpayOptions options) {
    if (options.schedules().isEmpty()) {
      out.println("no schedules in the config: add a \"schedules\" list (see the README's Configuration)");
      return name == null ? ExitCodes.OK : ExitCodes.FAILED;
    }
    if (limit < 1 || limit > ScheduleStore.TICKS_KEPT) {
      return fail("--limit must be from 1 to " + ScheduleStore.TICKS_KEPT, ExitCodes.USAGE);
    }
    return withNode(options, node -> {
      ScheduleStore store = new ScheduleStore(node.redis(), options.redis().chainRetentionSeconds());
      if (name != null) {
        return ticks(out, options, store);
      }
      out.printf(json ? "" : "%-24s %-18s %-14s %-28s %-22s %-22s %s%n", "SCHEDULE", "CRON", "TIME ZONE", "FLOW",
          "NEXT TICK", "LAST TICK", "LAST CHAIN");
      for (ScheduleOptions schedule : options.schedules()) {
        print(out, store.describe(schedule, Instant.now(), 0).await());
      }
      return ExitCodes.OK;
    });
  }

  private int ticks(PrintWriter out, FlowpayOptions options, ScheduleStore store) {
    ScheduleOptions schedule = options.schedules().stream().filter(entry -> entry.name().equals(name)).findFirst()
        .orElse(null);
    if (schedule == null) {
      return fail("no schedule '" + name + "' in the config: 'flowpay schedules' lists them", ExitCodes.FAILED);
    }
    JsonObject described = store.describe(schedule, Instant.now(), limit).await();
    if (json) {
      out.println(described.encode());
      return ExitCodes.OK;
    }
    print(out, described.copy());
    out.printf("%-26s %s%n", "TICK", "CHAIN");
    described.getJsonArray("ticks").forEach(tick -> out.printf("%-26s %s%n", ((JsonObject) tick).getString("tick"),
        ((JsonObject) tick).getString("chain_id")));
    return ExitCodes.OK;
  }

  private void print(PrintWriter out, JsonObject schedule) {
    if (json) {
      schedule.remove("ticks");
      out.println(schedule.encode());
      return;
    }
    out.printf("%-24s %-18s %-14s %-28s %-22s %-22s %s%n", schedule.getString("name"), schedule.getString("cron"),
        schedule.getString("timeZone"), schedule.getString("flow"), orDash(schedule.getString("next_tick")),
        orDash(schedule.getString("last_tick")), orDash(schedule.getString("last_chain_id")));
  }

  private static String orDash(String value) {
    return value == null ? "-" : value;
  }
}
