package io.flowpay.http;

import io.flowpay.config.ApiTokenSpec;
import io.flowpay.config.FlowpayOptions;
import io.flowpay.config.ScheduleOptions;
import io.flowpay.queue.ScheduleStore;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /v1/schedules}: the config's schedules, each with its next tick, its last tick and that tick's
 * chain, and its newest ticks; {@code GET /v1/schedules/:name?limit=N}: one schedule with its N newest
 * ticks, each with the chain it started. A token limited to namespaces sees the schedules whose context
 * is in them.
 */
final class ScheduleRoutes {

  static final int RECENT_TICKS = 5;

  private final List<ScheduleOptions> schedules;
  private final ScheduleStore store;
  private final Clock clock;

  ScheduleRoutes(FlowpayOptions options, HttpServices services, Clock clock) {
    this.schedules = options.schedules();
    this.store = new ScheduleStore(services.redis(), options.redis().chainRetentionSeconds());
    this.clock = clock;
  }

  void mount(Router router, Handler<RoutingContext> tokens, Handler<RoutingContext> shedder) {
    router.get("/v1/schedules").handler(tokens).handler(shedder).handler(this::list);
    router.get("/v1/schedules/:name").handler(tokens).handler(shedder).handler(this::one);
  }

  void list(RoutingContext ctx) {
    ApiTokenSpec scope = ApiTokens.scope(ctx);
    List<Future<JsonObject>> described = schedules.stream().filter(schedule -> scope.mayUse(schedule.context()))
        .map(schedule -> redis(store.describe(schedule, clock.instant(), RECENT_TICKS))).toList();
    Future.all(described)
        .onSuccess(all -> Answers.json(ctx, 200, new JsonObject().put("schedules",
            new JsonArray(described.stream().map(Future::result).toList()))))
        .onFailure(ctx::fail);
  }

  void one(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    ScheduleOptions schedule = schedules.stream().filter(entry -> entry.name().equals(name)
        && ApiTokens.scope(ctx).mayUse(entry.context())).findFirst()
        .orElseThrow(() -> ApiProblem.notFound("name", "no schedule '" + name + "' in this process's config"
            + " (GET /v1/schedules lists them)"));
    int limit = limit(ctx.queryParams().get("limit"));
    redis(store.describe(schedule, clock.instant(), limit))
        .onSuccess(json -> Answers.json(ctx, 200, json))
        .onFailure(ctx::fail);
  }

  private static int limit(String text) {
    try {
      int limit = text == null ? ApiRoutes.DEFAULT_LIMIT : Integer.parseInt(text);
      if (limit >= 1 && limit <= ScheduleStore.TICKS_KEPT) {
        return limit;
      }
    } catch (NumberFormatException bad) {
      // answered below
    }
    throw ApiProblem.invalid("limit", "limit must be a whole number from 1 to " + ScheduleStore.TICKS_KEPT
        + " (got " + text + ")");
  }

  private static <T> Future<T> redis(Future<T> call) {
    return call.timeout(HttpVerticle.REDIS_TIMEOUT_MS, TimeUnit.MILLISECONDS);
  }
}
