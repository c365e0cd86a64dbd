package io.flowpay.queue;

import io.flowpay.config.ScheduleOptions;
import io.flowpay.flow.Task;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * Schedules' ticks in Redis: per schedule the last tick started and its chain, when the schedule was
 * first seen, and the chain of each recent tick. Starting a tick's chain and recording it is one Lua
 * step ({@code schedule_fire.lua}) that refuses a tick not newer than the last one, so however many
 * processes fire a tick, one chain starts. A schedule's keys carry its worker's hash tag, so that step is one
 * slot in Redis Cluster too.
 */
public final class ScheduleStore {

  /** Ticks (with their chain ids) kept per schedule. */
  public static final int TICKS_KEPT = 1000;

  private final Redis redis;
  private final long chainTtlSeconds;
  private final boolean cluster;
  private final LuaScript fire = LuaScript.load("schedule_fire");
  private final LuaScript register = LuaScript.load("schedule_register");

  public ScheduleStore(Redis redis, long chainTtlSeconds) {
    this(redis, chainTtlSeconds, false);
  }

  /** @param cluster Redis Cluster mode: no key of the layout before it is reached (none can be there) */
  public ScheduleStore(Redis redis, long chainTtlSeconds, boolean cluster) {
    this.redis = redis;
    this.chainTtlSeconds = chainTtlSeconds;
    this.cluster = cluster;
  }

  /** What Redis knows of a schedule: the last tick started (null: none yet), its chain, when it was first seen. */
  public record State(String name, Long lastTick, String lastChain, Long since) {}

  /** One tick that started a chain. */
  public record Tick(long tick, String chainId) {

    public JsonObject toJson() {
      return new JsonObject().put("tick", java.time.Instant.ofEpochMilli(tick).toString()).put("chain_id", chainId);
    }
  }

  /** The schedule's record, under the hash tag of the worker its chains start on. */
  public static String key(ScheduleOptions schedule) {
    return RedisKeys.schedule(schedule.worker(), schedule.name());
  }

  public static String ticksKey(ScheduleOptions schedule) {
    return key(schedule) + ":ticks";
  }

  /**
   * Notes when the schedule was first seen (kept when it was seen before); ticks before that were never missed.
   * Outside Cluster mode its record from before the Cluster layout moves under its worker's tag first.
   */
  public Future<Void> register(ScheduleOptions schedule, long now) {
    List<String> keys = cluster ? List.of(key(schedule), ticksKey(schedule))
        : List.of(key(schedule), ticksKey(schedule), RedisKeys.legacySchedule(schedule.name()),
            RedisKeys.legacySchedule(schedule.name()) + ":ticks");
    return register.run(redis, keys, List.of(String.valueOf(now))).mapEmpty();
  }

  public Future<State> state(ScheduleOptions schedule) {
    Request read = Request.cmd(Command.HMGET).arg(key(schedule)).arg("last_tick").arg("last_chain").arg("since");
    return redis.send(read).map(answer -> new State(schedule.name(), number(answer.get(0)),
        answer.get(1) == null ? null : answer.get(1).toString(), number(answer.get(2))));
  }

  /**
   * Starts {@code task}'s chain for tick {@code tick} (ms) unless that tick or a later one was started;
   * returns true when this call started it. The worker's stream and group must exist.
   */
  public Future<Boolean> fire(ScheduleOptions schedule, long tick, Task task) {
    List<String> keys = List.of(RedisKeys.chain(task.chainId()), RedisKeys.tasks(task.workerId()), key(schedule),
        ticksKey(schedule));
    List<String> args = List.of(task.encode(), task.flow(), task.contextId(), task.workerId(),
        String.valueOf(System.currentTimeMillis()), String.valueOf(chainTtlSeconds), String.valueOf(tick),
        task.chainId(), String.valueOf(TICKS_KEPT));
    return fire.run(redis, keys, args).map(answer -> answer.get(0).toInteger() == 1);
  }

  /** The schedule's newest ticks with their chains, newest first. */
  public Future<List<Tick>> ticks(ScheduleOptions schedule, int limit) {
    Request range = Request.cmd(Command.ZREVRANGE).arg(ticksKey(schedule)).arg(0).arg(limit - 1);
    return redis.send(range).map(answer -> {
      List<Tick> ticks = new ArrayList<>();
      for (Response member : answer) {
        String text = member.toString();
        int colon = text.indexOf(':');
        ticks.add(new Tick(Long.parseLong(text.substring(0, colon)), text.substring(colon + 1)));
      }
      return ticks;
    });
  }

  /**
   * A schedule as operators see it: its config, its next tick after {@code now}, its last tick started and
   * that tick's chain, and its {@code ticks} newest ticks with their chains.
   */
  public Future<JsonObject> describe(ScheduleOptions schedule, Instant now, int ticks) {
    Future<State> state = state(schedule);
    Future<List<Tick>> recent = ticks(schedule, ticks);
    return Future.all(state, recent).map(both -> {
      Instant next = schedule.next(now);
      Long last = state.result().lastTick();
      return schedule.toJson().put("next_tick", next == null ? null : next.toString())
          .put("last_tick", last == null ? null : Instant.ofEpochMilli(last).toString())
          .put("last_chain_id", state.result().lastChain())
          .put("ticks", new JsonArray(recent.result().stream().map(Tick::toJson).toList()));
    });
  }

  private static Long number(Response value) {
    return value == null ? null : value.toLong();
  }
}
