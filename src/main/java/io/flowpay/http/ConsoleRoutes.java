package io.flowpay.http;

import io.flowpay.config.FlowpayOptions;
import io.flowpay.flow.FlowNames;
import io.flowpay.queue.ChainStatus;
import io.flowpay.queue.QueueReader;
import io.flowpay.queue.WorkerStats;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The web console ({@code /console}: static HTML, CSS and JavaScript from the jar; the page asks for a token) and the
 * {@code /v1} reads and actions it uses beyond the rest of the API: recent runs and chains, flows and their health,
 * workers, and dead letters retried or dropped, with who did it.
 */
final class ConsoleRoutes {

  private static final int SCAN_LIMIT = 1000;

  private final FlowpayOptions options;
  private final HttpServices services;
  private final QueueReader reader;

  ConsoleRoutes(FlowpayOptions options, HttpServices services) {
    this.options = options;
    this.services = services;
    this.reader = new QueueReader(services.redis());
  }

  /**
   * Every read here spans contexts (lists of runs, chains, flows, workers) or acts on a worker (its dead
   * letters, a flow switch): a token scoped to namespaces gets 403 here, as on {@code /metrics}.
   */
  void mount(Router router, Handler<RoutingContext> tokens, Handler<RoutingContext> shedder,
      Handler<RoutingContext> body) {
    router.get("/console/*").handler(ctx -> {
      if ("/console".equals(ctx.request().path())) {
        ctx.redirect("/console/");  // so that the page's relative links resolve under /console/
      } else {
        ctx.next();
      }
    }).handler(StaticHandler.create("console").setCachingEnabled(false));
    Handler<RoutingContext> unscoped = ApiTokens.unscopedOnly();
    router.get("/v1/runs").handler(tokens).handler(unscoped).handler(shedder).handler(this::runs);
    router.get("/v1/chains").handler(tokens).handler(unscoped).handler(shedder).handler(this::chains);
    router.post("/v1/flows/enable").handler(tokens).handler(unscoped).handler(shedder).handler(body)
        .handler(this::enable);
    router.get("/v1/workers").handler(tokens).handler(unscoped).handler(shedder).handler(this::workers);
    router.post("/v1/dead/:worker/:id/:action").handler(tokens).handler(unscoped).handler(shedder).handler(body)
        .handler(this::act);
  }

  /** {@code GET /v1/runs?failed=true&flow=F&context=C&since=ISO&limit=N}: recent runs of every context, newest first. */
  private void runs(RoutingContext ctx) {
    Filter filter = Filter.of(ctx);
    redis(reader.recentRuns(filter.since, SCAN_LIMIT))
        .map(runs -> new JsonArray(runs.stream().filter(filter::matches).limit(filter.limit).toList()))
        .onSuccess(runs -> Answers.json(ctx, 200, new JsonObject().put("runs", runs)))
        .onFailure(ctx::fail);
  }

  /**
   * {@code GET /v1/chains?status=S&flow=F&context=C&since=ISO&limit=N}: chains with recent runs, newest first, each
   * with its main flow, context, status and counters. {@code status} is running, settled, stuck or failed (settled or
   * stuck with a failed run); {@code flow} matches any run of the chain.
   */
  private void chains(RoutingContext ctx) {
    Filter filter = Filter.of(ctx);
    String status = ctx.queryParams().get("status");
    redis(reader.recentRuns(filter.since, SCAN_LIMIT)).compose(runs -> {
      Map<String, JsonObject> chains = new LinkedHashMap<>();
      for (JsonObject run : runs) {
        JsonObject chain = chains.computeIfAbsent(run.getString("chain_id"), id -> new JsonObject().put("chain_id", id)
            .put("last_run_at", run.getLong("started_at")).put("flows", new JsonArray()));
        chain.put("flow", run.getString("flow")).put("context_id", run.getString("context_id"))
            .put("started_at", run.getLong("started_at"));
        if (!chain.getJsonArray("flows").contains(run.getString("flow"))) {
          chain.getJsonArray("flows").add(run.getString("flow"));
        }
      }
      List<JsonObject> candidates = chains.values().stream().filter(chain -> filter.flow == null
          || chain.getJsonArray("flows").contains(filter.flow)).filter(chain -> filter.context == null
          || filter.context.equals(chain.getString("context_id"))).limit(Math.max(filter.limit, 200)).toList();
      return withStatus(candidates);
    }).map(list -> new JsonArray(list.stream().filter(chain -> status == null || status.isEmpty()
        || status.equals(chain.getString("status")) || "failed".equals(status) && chain.getLong("failed", 0L) > 0)
        .limit(filter.limit).toList()))
        .onSuccess(list -> Answers.json(ctx, 200, new JsonObject().put("chains", list)))
        .onFailure(ctx::fail);
  }

  private Future<List<JsonObject>> withStatus(List<JsonObject> chains) {
    List<Future<ChainStatus>> reads = chains.stream().map(chain -> services.queue().chain(chain.getString("chain_id")))
        .toList();
    return Future.all(reads).map(done -> {
      List<JsonObject> known = new ArrayList<>();
      for (int i = 0; i < chains.size(); i++) {
        ChainStatus status = reads.get(i).result();
        if (status != null) {
          known.add(chains.get(i).put("status", status.status()).put("settled", status.settled())
              .put("runs", status.runs()).put("failed", status.failed()).put("dead", status.dead())
              .put("pending", status.pending()));
        }
      }
      return known;
    });
  }

  /** {@code POST /v1/flows/enable {"flow"}}: re-enables a disabled flow. */
  private void enable(RoutingContext ctx) {
    String flow = body(ctx).getString("flow");
    if (flow == null || !FlowNames.isValid(flow)) {
      throw ApiProblem.invalid("flow", "flow must be a flow name, e.g. new_create_payment_intent_response");
    }
    redis(services.queue().enableFlow(flow)).compose(enabled -> requeue(flow, by(ctx))
            .map(queued -> new JsonObject().put("flow", flow).put("enabled", enabled).put("queued_again", queued)))
        .onSuccess(answer -> Answers.json(ctx, 200, answer))
        .onFailure(ctx::fail);
  }

  /** The tasks parked while the flow was disabled, on the configured workers, queued again. */
  private Future<Integer> requeue(String flow, String by) {
    Future<Integer> queued = Future.succeededFuture(0);
    for (String worker : options.workers()) {
      queued = queued.compose(sum -> redis(services.queue().retryParkedWhileDisabled(worker, flow, by)).map(n -> sum + n));
    }
    return queued;
  }

  private static String by(RoutingContext ctx) {
    return BoundedBody.of(ctx).length() == 0 ? "api" : body(ctx).getString("by", "api");
  }

  /** {@code GET /v1/workers}: each worker id with a stream, and the configured ones. */
  private void workers(RoutingContext ctx) {
    redis(reader.workerIdsWithStreams()).compose(found -> {
      TreeSet<String> ids = new TreeSet<>(options.workers());
      ids.addAll(found);
      List<Future<WorkerStats>> reads = ids.stream().map(reader::worker).toList();
      return Future.all(reads).map(done -> new JsonArray(reads.stream().map(read -> workerJson(read.result())).toList()));
    }).onSuccess(list -> Answers.json(ctx, 200, new JsonObject().put("workers", list))).onFailure(ctx::fail);
  }

  private static JsonObject workerJson(WorkerStats stats) {
    return new JsonObject().put("worker_id", stats.workerId()).put("active", stats.active())
        .put("consumers", new JsonArray(stats.consumers().stream().map(consumer -> new JsonObject()
            .put("name", consumer.name()).put("idle_ms", consumer.idleMs()).put("live", consumer.live())).toList()))
        .put("queued", stats.queued()).put("running", stats.pending()).put("lag_ms", stats.oldestAgeMs())
        .put("calls_in_flight", stats.callsInFlight()).put("timers", stats.timers()).put("dead", stats.dead());
  }

  /** {@code POST /v1/dead/{worker}/{id}/retry|drop {"by"}}: audited with {@code by} (default {@code api}). */
  private void act(RoutingContext ctx) {
    String worker = ctx.pathParam("worker");
    String id = ctx.pathParam("id");
    String action = ctx.pathParam("action");
    if (!FlowNames.isValidId(worker) || !id.matches("\\d{1,20}-\\d{1,20}")) {
      throw ApiProblem.invalid("id", "use /v1/dead/<worker>/<dead letter id like 1700000000000-0>/retry or /drop");
    }
    String by = body(ctx).getString("by", "api");
    if (by.isBlank() || by.length() > 64) {
      throw ApiProblem.invalid("by", "by must name who acts, 1-64 characters");
    }
    Future<Boolean> done = switch (action) {
      case "retry" -> services.queue().retryDead(worker, id, by);
      case "drop" -> services.queue().dropDead(worker, id, by);
      default -> throw ApiProblem.notFound("action", "no action '" + action + "': use retry or drop");
    };
    redis(done).onSuccess(found -> {
      if (found) {
        Answers.json(ctx, 200, new JsonObject().put("id", id).put("worker_id", worker).put("action", action).put("by", by));
      } else {
        Answers.send(ctx, ApiProblem.notFound("id", "no dead letter " + id + " on worker " + worker));
      }
    }).onFailure(ctx::fail);
  }

  private static JsonObject body(RoutingContext ctx) {
    String text = BoundedBody.of(ctx).toString();
    if (text == null || text.isBlank()) {
      return new JsonObject();
    }
    try {
      return new JsonObject(text);
    } catch (DecodeException | ClassCastException bad) {
      throw ApiProblem.invalid(null, "the body must be a JSON object");
    }
  }

  /** The query filters shared by {@code /v1/runs} and {@code /v1/chains}. */
  private record Filter(boolean failed, String flow, String context, long since, int limit) {
    static Filter of(RoutingContext ctx) {
      var query = ctx.queryParams();
      String flow = blankToNull(query.get("flow"));
      String context = blankToNull(query.get("context"));
      if (flow != null && !FlowNames.isValid(flow)) {
        throw ApiProblem.invalid("flow", "flow '" + flow + "' is not a flow name");
      }
      if (context != null && !FlowNames.isValidId(context)) {
        throw ApiProblem.invalid("context", "context '" + context + "' is not a valid id");
      }
      return new Filter("true".equals(query.get("failed")), flow, context, since(blankToNull(query.get("since"))),
          limit(query.get("limit")));
    }

    boolean matches(JsonObject run) {
      return (!failed || !"ok".equals(run.getString("status"))) && (flow == null || flow.equals(run.getString("flow")))
          && (context == null || context.equals(run.getString("context_id")));
    }

    private static long since(String text) {
      try {
        return text == null ? 0 : Instant.parse(text).toEpochMilli();
      } catch (DateTimeParseException bad) {
        throw ApiProblem.invalid("since", "since must be an ISO-8601 time, e.g. 2026-12-06T04:00:00Z");
      }
    }

    private static int limit(String text) {
      try {
        int limit = text == null ? 100 : Integer.parseInt(text);
        if (limit >= 1 && limit <= 1000) {
          return limit;
        }
      } catch (NumberFormatException bad) {
        // answered below
      }
      throw ApiProblem.invalid("limit", "limit must be a whole number from 1 to 1000");
    }

    private static String blankToNull(String text) {
      return text == null || text.isBlank() ? null : text;
    }
  }

  private static <T> Future<T> redis(Future<T> call) {
    return call.timeout(HttpVerticle.REDIS_TIMEOUT_MS, TimeUnit.MILLISECONDS);
  }
}
