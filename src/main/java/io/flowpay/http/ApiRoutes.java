package io.flowpay.http;

import io.flowpay.config.ApiTokenSpec;
import io.flowpay.config.FlowpayOptions;
import io.flowpay.flow.Caller;
import io.flowpay.flow.FlowNames;
import io.flowpay.flow.Ids;
import io.flowpay.flow.Task;
import io.flowpay.queue.ChainStatus;
import io.flowpay.queue.DeadLetter;
import io.flowpay.queue.ReconcilingCalls;
import io.flowpay.queue.StartMark;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The {@code /v1} API: start a chain, look at a chain, a context, a worker's dead letters and the
 * webhook events nobody handled. Every handler ends its response or fails the context (which
 * {@link Answers#failed} answers); none blocks the event loop.
 */
final class ApiRoutes {

  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;
  /** How long an API request's {@code Idempotency-Key} is remembered, as Stripe keeps its own. */
  static final long IDEMPOTENCY_TTL_SECONDS = 24 * 3600;
  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

  private final Vertx vertx;
  private final FlowpayOptions options;
  private final HttpServices services;
  private final StripeEvents events;

  ApiRoutes(Vertx vertx, FlowpayOptions options, HttpServices services, StripeEvents events) {
    this.vertx = vertx;
    this.options = options;
    this.services = services;
    this.events = events;
  }

  /**
   * {@code POST /v1/runs} → 202 {@code {task_id, chain_id, ...}}. With an {@code Idempotency-Key},
   * the chain is started once: the same request sent again within {@link #IDEMPOTENCY_TTL_SECONDS}
   * gets the first answer again (marked {@code Idempotent-Replayed: true}) and starts nothing; a
   * different request with the same key is refused (422).
   */
  void startRun(RoutingContext ctx) {
    ApiTokenSpec scope = ApiTokens.scope(ctx);
    String body = BoundedBody.of(ctx).toString();
    String key = idempotencyKey(ctx);
    RunRequest request = RunRequest.parse(body, options.workers(), defaultNamespace(scope),
        key == null ? null : keySpace(scope) + key);
    allowedToStart(scope, request);
    Task task = Task.main(request.flow(), request.workerId(), request.contextId(), Caller.API, request.input());
    JsonObject answer = new JsonObject().put("task_id", task.taskId()).put("chain_id", task.chainId())
        .put("flow", task.flow()).put("worker_id", task.workerId()).put("context_id", task.contextId());
    if (key == null) {
      startable(request.flow(), task.workerId())
          .compose(found -> redis(services.queue().start(task)))
          .onSuccess(entry -> started(ctx, task, answer))
          .onFailure(ctx::fail);
      return;
    }
    JsonObject sent = new JsonObject(body);
    StartMark mark = StartMark.apiRequest(task.workerId(), keySpace(scope) + key);
    String record = new JsonObject().put("request", sent).put("answer", answer).encode();
    redis(services.queue().chains().marked(mark))
        .compose(earlier -> earlier != null ? Future.succeededFuture(earlier)
            : startable(request.flow(), task.workerId())
                .compose(found -> redis(services.queue().startOnce(task, mark, record, IDEMPOTENCY_TTL_SECONDS))))
        .onSuccess(earlier -> {
          if (earlier == null) {
            started(ctx, task, answer);
          } else {
            replay(ctx, key, sent, new JsonObject(earlier));
          }
        })
        .onFailure(ctx::fail);
  }

  /** A token limited to namespaces starts a run without a context id in a new context of its first one. */
  private static String defaultNamespace(ApiTokenSpec scope) {
    return scope.allNamespaces() ? null : scope.namespaces().stream().sorted().findFirst().orElseThrow();
  }

  private static void allowedToStart(ApiTokenSpec scope, RunRequest request) {
    if (!scope.mayStart(request.flow())) {
      throw ApiProblem.forbidden("flow", "this token may not start flow '" + request.flow() + "' (it may start: "
          + String.join(", ", scope.flows().stream().sorted().toList()) + ")");
    }
    if (!scope.mayUse(request.contextId())) {
      throw ApiProblem.forbidden("context_id", "context_id '" + request.contextId() + "' is outside this token's"
          + " namespaces: use a context id starting with one of " + scope.namespaces().stream().sorted()
          .map(ns -> ns + ":").toList());
    }
  }

  /** Idempotency keys of namespaced tokens live apart, so one tenant's key never meets another's. */
  private static String keySpace(ApiTokenSpec scope) {
    return scope.allNamespaces() ? "" : String.join("|", scope.namespaces().stream().sorted().toList()) + "/";
  }

  /**
   * The flow's file exists and the flow is not disabled on the worker the run would start on (each worker has its
   * own switch: see the README, Redis Cluster); nothing is started otherwise.
   */
  private Future<Void> startable(String flow, String worker) {
    return flowExists(flow).compose(found -> redis(services.queue().flowState(flow, worker))).compose(state -> {
      String since = state.get("disabled_at");
      return since == null ? Future.succeededFuture() : Future.failedFuture(ApiProblem.conflict("flow_disabled",
          "flow", "flow '" + flow + "' is disabled (since " + disabledSince(since) + ", after it could not run,"
              + " missing or not compiling, too many times in a row): nothing was started. Fix the flow, then run"
              + " 'flowpay flow enable " + flow + "'"));
    });
  }

  private Future<Void> flowExists(String flow) {
    String file = options.flowsDir().resolve(flow + ".js").toString();
    Future<Boolean> found = services.flows() != null ? services.flows().exists(flow) : vertx.fileSystem().exists(file);
    return found.compose(exists -> exists ? Future.succeededFuture()
        : Future.failedFuture(ApiProblem.invalid("flow", "flow '" + flow + "' not found: there is no " + file
            + (services.flows() != null ? " and no uploaded version" : ""))));
  }

  private static String disabledSince(String millis) {
    try {
      return Instant.ofEpochMilli(Long.parseLong(millis)).toString();
    } catch (NumberFormatException | DateTimeException bad) {
      return millis;
    }
  }

  private static String idempotencyKey(RoutingContext ctx) {
    String key = ctx.request().getHeader("Idempotency-Key");
    if (key != null && !IDEMPOTENCY_KEY.matcher(key).matches()) {
      throw ApiProblem.invalid("Idempotency-Key", "the Idempotency-Key header must be 1-255 printable ASCII"
          + " characters without spaces, e.g. a UUID you make once per order and send with every retry");
    }
    return key;
  }

  private void started(RoutingContext ctx, Task task, JsonObject answer) {
    services.metrics().runStarted(task.flow(), task.callerId());
    if (!Answers.answered(ctx)) {
      ctx.response().putHeader("Location", "/v1/chains/" + task.chainId());
      Answers.json(ctx, 202, answer);
    }
  }

  private static void replay(RoutingContext ctx, String key, JsonObject sent, JsonObject first) {
    if (!sent.equals(first.getJsonObject("request"))) {
      ctx.fail(ApiProblem.keyReused("Idempotency-Key '" + key + "' was used within the last 24 hours with a"
          + " different request: send the same request to get its answer again, or a new key for a new run"));
      return;
    }
    if (!Answers.answered(ctx)) {
      JsonObject answer = first.getJsonObject("answer");
      ctx.response().putHeader("Location", "/v1/chains/" + answer.getString("chain_id"))
          .putHeader("Idempotent-Replayed", "true");
      Answers.json(ctx, 202, answer);
    }
  }

  /**
   * {@code GET /v1/chains/:id}: status, counters, settled or not, and its run records in order. A
   * token limited to namespaces sees only chains started in them, and only their runs in them.
   */
  void chain(RoutingContext ctx) {
    ApiTokenSpec scope = ApiTokens.scope(ctx);
    String id = chainId(ctx);
    Future<ChainStatus> status = redis(services.queue().chain(id));
    Future<Boolean> visible = scope.allNamespaces() ? Future.succeededFuture(true)
        : redis(services.queue().chains().contextOf(id)).map(context -> context != null && scope.mayUse(context));
    Future.all(status, visible)
        .compose(both -> status.result() == null || !visible.result()
            ? Future.failedFuture(ApiProblem.notFound("id", "no chain '" + id + "' (chains are kept "
                + options.redis().chainRetentionDays() + " days after their last run)"))
            : redis(services.queue().chains().runs(id, MAX_LIMIT)).map(runs -> chainJson(status.result(), inScope(scope, runs))))
        .onSuccess(json -> Answers.json(ctx, 200, json))
        .onFailure(ctx::fail);
  }

  private static JsonArray inScope(ApiTokenSpec scope, JsonArray runs) {
    if (scope.allNamespaces()) {
      return runs;
    }
    return new JsonArray(runs.stream().filter(run -> run instanceof JsonObject json
        && json.getValue("context_id") instanceof String context && scope.mayUse(context)).toList());
  }

  private static JsonObject chainJson(ChainStatus status, JsonArray runs) {
    return new JsonObject().put("chain_id", status.chainId()).put("status", status.status())
        .put("settled", status.settled()).put("stuck", status.stuck())
        .put("counters", new JsonObject().put("pending", status.pending()).put("runs", status.runs())
            .put("failed", status.failed()).put("dead", status.dead()))
        .put("runs", runs);
  }

  /** {@code GET /v1/contexts/:id?limit=N}: state and the newest N run records, newest first. */
  void context(RoutingContext ctx) {
    String id = pathId(ctx, "id");
    int limit = limit(ctx);
    if (!ApiTokens.scope(ctx).mayUse(id)) {
      throw noContext(id);
    }
    redis(services.queue().contextState(id))
        .compose(state -> redis(services.queue().contexts().runs(id, limit)).map(runs -> new JsonObject()
            .put("context_id", id).put("state", state).put("runs", runs)))
        .compose(json -> json.getJsonObject("state").isEmpty() && json.getJsonArray("runs").isEmpty()
            ? Future.failedFuture(noContext(id))
            : Future.succeededFuture(json))
        .onSuccess(json -> Answers.json(ctx, 200, json))
        .onFailure(ctx::fail);
  }

  /** The same answer for a context that does not exist and one the token may not see: nothing to probe. */
  private static ApiProblem noContext(String id) {
    return ApiProblem.notFound("id", "no context '" + id + "': it has no state and no runs");
  }

  /** {@code GET /v1/dead/:worker?limit=N&from=ID}: the worker's dead letters, oldest first. */
  void dead(RoutingContext ctx) {
    ApiTokenSpec scope = ApiTokens.scope(ctx);
    String worker = pathId(ctx, "worker");
    String from = StreamIds.from(ctx.queryParams().get("from"));
    int limit = limit(ctx);
    redis(services.queue().deadLetters(worker, from, limit))
        .onSuccess(letters -> Answers.json(ctx, 200, deadJson(worker, scope, letters, limit)))
        .onFailure(ctx::fail);
  }

  /**
   * The letters the token may see. When the page was full, {@code next} is the {@code from} of the
   * next page (some letters of a page may be hidden from a namespaced token, so a short page is not the end).
   */
  private static JsonObject deadJson(String worker, ApiTokenSpec scope, List<DeadLetter> letters, int limit) {
    JsonArray visible = new JsonArray(letters.stream()
        .filter(letter -> scope.allNamespaces() || letter.task() != null && scope.mayUse(letter.task().contextId()))
        .map(DeadLetter::toJson).toList());
    JsonObject json = new JsonObject().put("worker_id", worker).put("dead", visible);
    if (letters.size() == limit) {
      json.put("next", "(" + letters.get(letters.size() - 1).id());
    }
    return json;
  }

  /**
   * {@code GET /v1/calls/:worker[?unresolved=true]}: the worker's calls whose outcome at Stripe is
   * unknown, being reconciled (state, age, next attempt, what the call is), or those still unknown when
   * the window was spent; a namespaced token sees those of its namespaces only.
   */
  void calls(RoutingContext ctx) {
    ApiTokenSpec scope = ApiTokens.scope(ctx);
    String worker = pathId(ctx, "worker");
    ReconcilingCalls calls = new ReconcilingCalls(services.redis());
    boolean unresolved = "true".equals(ctx.queryParams().get("unresolved"));
    redis(unresolved ? calls.unresolved(worker) : calls.list(worker))
        .map(list -> new JsonArray(list.stream().filter(call -> scope.allNamespaces()
            || call.getString("context_id") != null && scope.mayUse(call.getString("context_id"))).toList()))
        .onSuccess(list -> Answers.json(ctx, 200, new JsonObject().put("worker_id", worker)
            .put(unresolved ? "unresolved" : "reconciling", list)))
        .onFailure(ctx::fail);
  }

  /** {@code GET /v1/webhooks/unhandled?limit=N}: events no flow ran for, newest first. */
  void unhandled(RoutingContext ctx) {
    redis(events.recentUnhandled(limit(ctx)))
        .onSuccess(list -> Answers.json(ctx, 200, new JsonObject().put("unhandled", new JsonArray(list))))
        .onFailure(ctx::fail);
  }

  private static <T> Future<T> redis(Future<T> call) {
    return call.timeout(HttpVerticle.REDIS_TIMEOUT_MS, TimeUnit.MILLISECONDS);
  }

  /** Chain ids are what {@code POST /v1/runs} answered ({@link Ids#isChainId}): no other key is reachable. */
  private static String chainId(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!Ids.isChainId(id)) {
      throw ApiProblem.invalid("id", "chain id '" + id + "' is not valid: use the chain_id POST /v1/runs answered"
          + " (1-128 letters, digits, '_' or '-', then '~' and the chain's home worker id)");
    }
    return id;
  }

  private static String pathId(RoutingContext ctx, String name) {
    String id = ctx.pathParam(name);
    if (!FlowNames.isValidId(id)) {
      throw ApiProblem.invalid(name, name + " '" + id + "' is not valid: use 1-128 letters, digits, '_', '-', '.' or ':'");
    }
    return id;
  }

  private static int limit(RoutingContext ctx) {
    String text = ctx.queryParams().get("limit");
    try {
      int limit = text == null ? DEFAULT_LIMIT : Integer.parseInt(text);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException bad) {
      // answered below
    }
    throw ApiProblem.invalid("limit", "limit must be a whole number from 1 to " + MAX_LIMIT + " (got " + text + ")");
  }
}
