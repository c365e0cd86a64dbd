package io.flowpay.config;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.flowpay.failure.FlowpayFailure;
import io.flowpay.flow.FlowNames;
import io.flowpay.flow.Placement;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One entry of the config's {@code schedules}: start main flow {@code flow} with {@code input} in
 * {@code context} on {@code worker} at each tick of {@code cron} in {@code timeZone}. A cron expression
 * has 5 fields (minute hour day-of-month month day-of-week, as crontab) or 6 with seconds first; it is
 * parsed by cron-utils (Unix and Spring definitions).
 *
 * @param missed what a start does about ticks that passed while no process ran: {@code run-once} runs
 *     the latest of them once, {@code skip} runs none
 */
public record ScheduleOptions(String name, String cron, ZoneId timeZone, String flow, Object input, String worker,
    String context, Missed missed) {

  /** What happens to ticks missed while no process ran. */
  public enum Missed {
    RUN_ONCE, SKIP;

    public String text() {
      return name().toLowerCase().replace('_', '-');
    }
  }

  static final Set<String> KEYS = Set.of("name", "cron", "timeZone", "flow", "input", "worker", "context", "missed");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");
  private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final CronParser SECONDS = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING));

  /** The context a schedule's runs use when it names none. */
  public static String defaultContext(String name) {
    return "schedule:" + name;
  }

  /** The first tick strictly after {@code at}: when the schedule fires next; null when there is none. */
  public Instant next(Instant at) {
    return executionTime().nextExecution(seconds(at)).map(ZonedDateTime::toInstant).orElse(null);
  }

  /** The latest tick at or before {@code at}; null when there is none. */
  public Instant latest(Instant at) {
    ZonedDateTime second = seconds(at);
    ExecutionTime time = executionTime();
    return time.isMatch(second) ? second.toInstant()
        : time.lastExecution(second).map(ZonedDateTime::toInstant).orElse(null);
  }

  /** Ticks fall on whole seconds: cron-utils keeps a time's fraction of a second in what it computes from it. */
  private ZonedDateTime seconds(Instant at) {
    return ZonedDateTime.ofInstant(at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS), timeZone);
  }

  public JsonObject toJson() {
    return new JsonObject().put("name", name).put("cron", cron).put("timeZone", timeZone.getId()).put("flow", flow)
        .put("input", input).put("worker", worker).put("context", context).put("missed", missed.text());
  }

  private ExecutionTime executionTime() {
    return ExecutionTime.forCron(parse(cron));
  }

  private static Cron parse(String cron) {
    String[] fields = cron.trim().split("\\s+");
    return (fields.length == 6 ? SECONDS : UNIX).parse(cron.trim()).validate();
  }

  /** The {@code schedules} list of the config; empty when absent. Fails naming the schedule, the key and the fix. */
  static List<ScheduleOptions> list(JsonArray json, List<String> workers) {
    List<ScheduleOptions> schedules = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; json != null && i < json.size(); i++) {
      if (!(json.getValue(i) instanceof JsonObject entry)) {
        throw invalid("schedules[" + i + "] must be an object, e.g. {\"name\": \"nightly\", \"cron\": \"0 2 * * *\","
            + " \"flow\": \"reconcile\"}");
      }
      ScheduleOptions schedule = of(entry, i, workers);
      if (!names.add(schedule.name())) {
        throw invalid("schedules[" + i + "]: the name '" + schedule.name() + "' is used twice: give each schedule"
            + " its own name (its last tick is kept under it)");
      }
      schedules.add(schedule);
    }
    return List.copyOf(schedules);
  }

  private static ScheduleOptions of(JsonObject entry, int index, List<String> workers) {
    String where = "schedules[" + index + "]";
    for (String key : entry.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw invalid(where + ": unknown key '" + key + "' (known: " + String.join(", ", KEYS.stream().sorted().toList())
            + ")");
      }
    }
    ConfigReader config = new ConfigReader(entry, where);
    String name = config.string("name", null);
    if (name == null || !NAME.matcher(name).matches()) {
      throw invalid(where + ".name must be 1-64 letters, digits, '_', '.' or '-', e.g. \"nightly-reconcile\"");
    }
    String named = "schedule '" + name + "' (" + where + ")";
    String cron = required(config, "cron", named, "e.g. \"0 2 * * *\" (02:00 every day) or \"*/10 * * * * *\""
        + " (every 10 seconds: 6 fields, seconds first)");
    checkCron(cron, named);
    ZoneId zone = zone(config.string("timeZone", "UTC"), named);
    String flow = required(config, "flow", named, "the main flow to start, e.g. \"reconcile\"");
    if (!FlowNames.isValid(flow)) {
      throw invalid(named + ": flow '" + flow + "' is not a flow name: use snake_case like 'nightly_reconcile'"
          + " (letters, digits, '_', and '/' for a sub-folder)");
    }
    String context = config.string("context", defaultContext(name));
    if (!FlowNames.isValidId(context)) {
      throw invalid(named + ": context '" + context + "' is not a context id: use 1-128 letters, digits, '_', '-',"
          + " '.' or ':'");
    }
    String worker = config.string("worker", Placement.workerFor(context, workers));
    if (!workers.contains(worker)) {
      throw invalid(named + ": worker '" + worker + "' is not one of this process's workers " + workers + ": name one"
          + " of them, or leave worker out for the worker the context is placed on");
    }
    Object input = entry.getValue("input") == null ? new JsonObject() : entry.getValue("input");
    return new ScheduleOptions(name, cron, zone, flow, input, worker, context, missed(config, named));
  }

  private static String required(ConfigReader config, String key, String named, String example) {
    String value = config.string(key, null);
    if (value == null) {
      throw invalid(named + ": " + key + " is missing: " + example);
    }
    return value;
  }

  private static void checkCron(String cron, String named) {
    try {
      parse(cron);
    } catch (IllegalArgumentException bad) {
      throw invalid(named + ": cron '" + cron + "' is not a cron expression (" + bad.getMessage() + "): use 5 fields"
          + " 'minute hour day-of-month month day-of-week' (e.g. \"0 2 * * *\"), or 6 with seconds first"
          + " (e.g. \"*/10 * * * * *\")");
    }
  }

  private static ZoneId zone(String zone, String named) {
    try {
      return ZoneId.of(zone);
    } catch (DateTimeException bad) {
      throw invalid(named + ": timeZone '" + zone + "' is not a time zone: use an IANA name such as \"Europe/Berlin\""
          + " or \"UTC\"");
    }
  }

  private static Missed missed(ConfigReader config, String named) {
    String missed = config.string("missed", "run-once");
    return switch (missed) {
      case "run-once" -> Missed.RUN_ONCE;
      case "skip" -> Missed.SKIP;
      default -> throw invalid(named + ": missed '" + missed + "' is not understood: use \"run-once\" (a start runs"
          + " the latest tick missed while no process ran, once) or \"skip\"");
    };
  }

  private static FlowpayFailure invalid(String message) {
    return new FlowpayFailure(FlowpayFailure.Kind.CONFIG_INVALID, message);
  }
}
