package io.flowpay.http;

import io.flowpay.config.ApiTokenSpec;
import io.flowpay.flow.FlowNames;
import io.flowpay.flow.FlowVersion;
import io.flowpay.queue.FlowHealth;
import io.flowpay.script.FlowFinding;
import io.flowpay.worker.FlowLibrary;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.redis.client.Redis;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Flows over the API: validate a text as {@code flowpay check} would, list and read flows with where
 * each comes from (its file in {@code flowsDir}, or an uploaded version, which wins), and, for tokens
 * allowed to ({@link ApiTokenSpec#mayWriteFlow}), upload a new version (checked first) and restore an
 * earlier one. Flow names with a sub-folder keep their {@code /} in the path.
 */
final class FlowRoutes {

  static final String PRECEDENCE = "an uploaded version wins over the file of the same name in flowsDir";
  private static final String NAME = "(?<name>" + FlowNames.NAME_REGEX + ")";

  private final FlowLibrary library;
  private final Path flowsDir;
  private final Redis redis;

  FlowRoutes(FlowLibrary library, Path flowsDir, Redis redis) {
    this.library = library;
    this.flowsDir = flowsDir;
    this.redis = redis;
  }

  void mount(Router router, Handler<RoutingContext> tokens, Handler<RoutingContext> shedder,
      Handler<RoutingContext> body) {
    router.post("/v1/flows/validate").handler(tokens).handler(shedder).handler(body).handler(this::validate);
    router.get("/v1/flows").handler(tokens).handler(shedder).handler(this::list);
    router.getWithRegex("/v1/flows/" + NAME + "/versions").handler(tokens).handler(shedder).handler(this::versions);
    router.postWithRegex("/v1/flows/" + NAME + "/restore").handler(tokens).handler(shedder).handler(body)
        .handler(this::restore);
    router.getWithRegex("/v1/flows/" + NAME).handler(tokens).handler(shedder).handler(this::get);
    router.putWithRegex("/v1/flows/" + NAME).handler(tokens).handler(shedder).handler(body).handler(this::put);
  }

  /** {@code POST /v1/flows/validate {name, text}} → 200 {@code {flow, ok, errors, warnings, findings}}. */
  void validate(RoutingContext ctx) {
    JsonObject request = jsonBody(ctx);
    String flow = request.getValue("name") instanceof String name ? name : null;
    if (flow == null) {
      throw ApiProblem.invalid("name", "name is missing: send {\"name\": \"<flow name>\", \"text\": \"<the flow's"
          + " JavaScript>\"} (the name matters: webhook flows are named on_<event>, and targets are checked)");
    }
    String text = text(request);
    library.validate(flow, text)
        .onSuccess(findings -> Answers.json(ctx, 200, findingsJson(flow, findings)))
        .onFailure(ctx::fail);
  }

  /**
   * {@code GET /v1/flows} → every flow, where it comes from and its current version; for a token of
   * every namespace (the console's) also its health: status, failures in a row, last error.
   */
  void list(RoutingContext ctx) {
    boolean health = ApiTokens.scope(ctx).allNamespaces();
    redis(library.list())
        .compose(flows -> health ? redis(FlowHealth.of(redis, flows.stream().map(FlowLibrary.Current::flow).toList()))
            .map(healths -> withHealth(flows, healths)) : Future.succeededFuture(json(flows)))
        .map(flows -> new JsonObject().put("precedence", PRECEDENCE).put("flows", new JsonArray(flows)))
        .onSuccess(json -> Answers.json(ctx, 200, json))
        .onFailure(ctx::fail);
  }

  private List<JsonObject> json(List<FlowLibrary.Current> flows) {
    return flows.stream().map(flow -> flowJson(flow, false)).toList();
  }

  private List<JsonObject> withHealth(List<FlowLibrary.Current> flows, List<JsonObject> healths) {
    List<JsonObject> json = json(flows);
    for (int i = 0; i < json.size(); i++) {
      json.get(i).mergeIn(healths.get(i));
    }
    return json;
  }

  /** {@code GET /v1/flows/<name>} → the flow's text, version and source. */
  void get(RoutingContext ctx) {
    String flow = ctx.pathParam("name");
    redis(library.get(flow))
        .compose(current -> current == null ? Future.failedFuture(noFlow(flow)) : Future.succeededFuture(current))
        .onSuccess(current -> Answers.json(ctx, 200, flowJson(current, true)))
        .onFailure(ctx::fail);
  }

  /**
   * {@code PUT /v1/flows/<name>} with the text (a JSON {@code {text}}, or the JavaScript itself) → 201
   * with the new version, 200 when the text is the current version's already, 422 with the findings
   * when {@code flowpay check} finds errors in it (nothing is stored).
   */
  void put(RoutingContext ctx) {
    String flow = ctx.pathParam("name");
    ApiTokenSpec scope = mayWrite(ctx, flow);
    String type = String.valueOf(ctx.request().getHeader("Content-Type"));
    String text = type.startsWith("application/json") ? text(jsonBody(ctx)) : BoundedBody.of(ctx).toString();
    redis(library.put(flow, text, scope.who()))
        .onSuccess(upload -> uploaded(ctx, flow, upload))
        .onFailure(ctx::fail);
  }

  private void uploaded(RoutingContext ctx, String flow, FlowLibrary.Upload upload) {
    if (upload.rejected()) {
      long errors = upload.findings().stream().filter(FlowFinding::isError).count();
      FlowFinding first = upload.findings().stream().filter(FlowFinding::isError).findFirst().orElseThrow();
      Answers.json(ctx, 422, new JsonObject().put("error", new JsonObject().put("type", "flow_invalid")
          .put("field", "text").put("message", "flow '" + flow + "' was not accepted: flowpay check found " + errors
              + " error(s); the current version keeps running. First: " + first.line() + ":" + first.column() + ": "
              + first.message() + (first.fix().isEmpty() ? "" : ": " + first.fix()))
          .put("findings", findings(upload.findings()))));
      return;
    }
    FlowVersion version = upload.stored().version();
    Answers.json(ctx, upload.stored().changed() ? 201 : 200, version.toJson(false)
        .put("changed", upload.stored().changed()).put("source", "uploaded").put("precedence", PRECEDENCE)
        .put("findings", findings(upload.findings())));
  }

  /** {@code GET /v1/flows/<name>/versions} → uploaded versions (oldest first) and the audit trail (newest first). */
  void versions(RoutingContext ctx) {
    String flow = ctx.pathParam("name");
    Future<List<FlowVersion>> versions = redis(library.store().versions(flow));
    Future<List<JsonObject>> audit = redis(library.store().audit(flow, ApiRoutes.MAX_LIMIT));
    Future<FlowLibrary.Current> current = redis(library.get(flow));
    Future.all(versions, audit, current)
        .compose(all -> current.result() == null ? Future.failedFuture(noFlow(flow)) : Future.succeededFuture(
            new JsonObject().put("flow", flow).put("source", current.result().source())
                .put("current", current.result().uploaded() == null ? null : current.result().uploaded().version())
                .put("versions", new JsonArray(versions.result().stream().map(v -> v.toJson(false)).toList()))
                .put("audit", new JsonArray(audit.result()))))
        .onSuccess(json -> Answers.json(ctx, 200, json))
        .onFailure(ctx::fail);
  }

  /** {@code POST /v1/flows/<name>/restore {version}} → the restored version, now current. */
  void restore(RoutingContext ctx) {
    String flow = ctx.pathParam("name");
    ApiTokenSpec scope = mayWrite(ctx, flow);
    Object number = jsonBody(ctx).getValue("version");
    if (!(number instanceof Number version) || version.longValue() < 1 || version.doubleValue() % 1 != 0) {
      throw ApiProblem.invalid("version", "version must be the number of an uploaded version, e.g. {\"version\": 2}"
          + " (GET /v1/flows/" + flow + "/versions lists them)");
    }
    redis(library.restore(flow, version.longValue(), scope.who()))
        .compose(restored -> restored == null ? Future.failedFuture(ApiProblem.notFound("version", "flow '" + flow
            + "' has no uploaded version " + version + ": GET /v1/flows/" + flow + "/versions lists them"))
            : Future.succeededFuture(restored))
        .onSuccess(restored -> Answers.json(ctx, 200, restored.toJson(false).put("source", "uploaded")
            .put("restored", true)))
        .onFailure(ctx::fail);
  }

  private static ApiTokenSpec mayWrite(RoutingContext ctx, String flow) {
    ApiTokenSpec scope = ApiTokens.scope(ctx);
    if (!scope.mayWriteFlow(flow)) {
      throw ApiProblem.forbidden("Authorization", "this token may not upload or restore flow '" + flow + "': give"
          + " it ';allow=" + ApiTokenSpec.FLOWS_WRITE + "' in FLOWPAY_API_TOKENS" + (scope.flows().isEmpty() ? ""
              : " and list the flow in its ';flows='"));
    }
    return scope;
  }

  private JsonObject flowJson(FlowLibrary.Current flow, boolean withText) {
    FlowVersion uploaded = flow.uploaded();
    JsonObject json = new JsonObject().put("flow", flow.flow()).put("source", flow.source())
        .put("shadows_file", flow.shadowsFile())
        .put("file", flow.fileText() == null ? null : flowsDir.resolve(flow.flow() + ".js").toString())
        .put("version", uploaded == null ? null : uploaded.version())
        .put("digest", uploaded == null ? FlowLibrary.digest(flow.fileText()) : uploaded.digest());
    if (uploaded != null) {
      json.put("uploaded_by", uploaded.by()).put("uploaded_at", java.time.Instant.ofEpochMilli(uploaded.at()).toString());
    }
    return withText ? json.put("text", flow.text()) : json;
  }

  private static JsonObject findingsJson(String flow, List<FlowFinding> findings) {
    long errors = findings.stream().filter(FlowFinding::isError).count();
    return new JsonObject().put("flow", flow).put("ok", errors == 0).put("errors", errors)
        .put("warnings", findings.size() - errors).put("findings", findings(findings));
  }

  private static JsonArray findings(List<FlowFinding> findings) {
    return new JsonArray(findings.stream().map(finding -> new JsonObject().put("severity", finding.severity().toString())
        .put("line", Math.max(finding.line(), 1)).put("column", Math.max(finding.column(), 1))
        .put("message", finding.message()).put("fix", finding.fix()).put("text", finding.toString())).toList());
  }

  private static JsonObject jsonBody(RoutingContext ctx) {
    try {
      return new JsonObject(BoundedBody.of(ctx).toString());
    } catch (DecodeException | ClassCastException bad) {
      throw ApiProblem.invalid(null, "the body must be a JSON object, e.g. {\"name\": \"refund\", \"text\": \"...\"}");
    }
  }

  private static String text(JsonObject request) {
    if (!(request.getValue("text") instanceof String text)) {
      throw ApiProblem.invalid("text", "text is missing or not a string: send the flow's JavaScript as a JSON string");
    }
    return text;
  }

  private static ApiProblem noFlow(String flow) {
    return ApiProblem.notFound("name", "no flow '" + flow + "': it has no file in flowsDir and no uploaded version"
        + (FlowNames.isValid(flow) ? "" : " (and it is not a flow name)"));
  }

  private static <T> Future<T> redis(Future<T> call) {
    return call.timeout(HttpVerticle.REQUEST_TIMEOUT_MS, TimeUnit.MILLISECONDS);
  }
}
