package io.flowpay.http;

import io.flowpay.config.FlowpayOptions;
import io.flowpay.config.HttpOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.TimeoutHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP server of {@code flowpay serve}: the {@code /v1} API and {@code /metrics} behind bearer
 * tokens, {@code /health} open, and {@code POST /webhooks/stripe} (signed by Stripe) when webhooks
 * are configured. Every request ends with an answer: a result, or a JSON problem
 * ({@link Answers}); a request that is not answered within {@link #REQUEST_TIMEOUT_MS} gets a 503.
 * Connections are bounded in time ({@code http.headerTimeoutMs}, {@code http.idleTimeoutMs}) and
 * requests to Redis in number ({@code http.maxInFlight}, {@link LoadShedder}).
 */
public final class HttpVerticle extends VerticleBase {

  /** Longest any one Redis call of a request may take. */
  static final long REDIS_TIMEOUT_MS = 5_000;
  /** Backstop: no request stays open longer than this. */
  static final long REQUEST_TIMEOUT_MS = 15_000;
  /** How often what was answered 503 is summed up in the log. */
  static final long REPORT_INTERVAL_MS = 10_000;

  private final FlowpayOptions options;
  private final HttpServices services;
  private final List<String> apiTokens;
  private final String webhookSecret;
  private HttpServer server;
  private LoadShedder shedder;
  private long report;

  /**
   * @param apiTokens from {@code FLOWPAY_API_TOKENS}; at least one
   * @param webhookSecret from {@code STRIPE_WEBHOOK_SECRET}; required when {@code options.webhooks()} is on
   */
  public HttpVerticle(FlowpayOptions options, HttpServices services, List<String> apiTokens, String webhookSecret) {
    if (apiTokens.isEmpty()) {
      throw new IllegalArgumentException("the HTTP API needs at least one token");
    }
    if (options.webhooks().enabled() && webhookSecret == null) {
      throw new IllegalArgumentException("webhooks need a signing secret");
    }
    this.options = options;
    this.services = services;
    this.apiTokens = List.copyOf(apiTokens);
    this.webhookSecret = webhookSecret;
  }

  @Override
  public Future<?> start() {
    HttpOptions http = options.http();
    // HTTP/1.1 only: with h2c upgrades on, a connection is only handed over once its first header is
    // complete, too late for the header deadline.
    HttpServerOptions listen = new HttpServerOptions().setHost(http.host()).setPort(http.port())
        .setHttp2ClearTextEnabled(false)
        .setIdleTimeout((int) http.idleTimeoutMs()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    HeaderDeadlines deadlines = new HeaderDeadlines(vertx, http.headerTimeoutMs());
    shedder = new LoadShedder(http.maxInFlight());
    report = vertx.setPeriodic(REPORT_INTERVAL_MS, tick -> shedder.report(REPORT_INTERVAL_MS));
    return vertx.createHttpServer(listen).connectionHandler(deadlines::opened).requestHandler(router(deadlines))
        .listen().onSuccess(started -> server = started);
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(report);
    shedder.report(REPORT_INTERVAL_MS);
    return Future.succeededFuture();
  }

  /** The port it listens on (the one picked when {@code http.port} is 0). */
  public int port() {
    return server.actualPort();
  }

  /**
   * Every route that reads Redis goes through the token check (or, for webhooks, nothing: the
   * signature is checked over the body), then the in-flight limit, and only then reads its body:
   * an unauthenticated or shed request costs no body and no Redis call.
   */
  private Router router(HeaderDeadlines deadlines) {
    ApiTokens tokens = new ApiTokens(apiTokens);
    StripeEvents events = new StripeEvents(services.redis(), services.queue());
    ApiRoutes api = new ApiRoutes(vertx, options, services, events);
    int maxBody = options.http().maxBodyBytes();
    BoundedBody body = new BoundedBody(maxBody);

    Router router = Router.router(vertx);
    router.route().handler(deadlines::arrived);
    new EventStreamRoutes(vertx, services).mount(router, tokens);  // streams: before the request timeout
    router.route().handler(TimeoutHandler.create(REQUEST_TIMEOUT_MS));
    router.route().failureHandler(ctx -> Answers.failed(ctx, maxBody, shedder));
    router.get("/health").handler(new Health(services));
    router.get("/health/live").handler(Health::live);
    router.get("/metrics").handler(tokens).handler(ApiTokens.unscopedOnly())
        .handler(PrometheusScrapingHandler.create(services.metrics().registry()));
    if (options.webhooks().enabled()) {
      router.post("/webhooks/stripe").handler(shedder).handler(body).handler(new StripeWebhook(vertx, webhookSecret,
          options.flowsDir(), context -> options.webhooks().defaultWorker(context, options.workers()), events, services.metrics(),
          services.flows()));
    }
    if (services.flows() != null) {
      new FlowRoutes(services.flows(), options.flowsDir(), services.redis()).mount(router, tokens, shedder, body);
    }
    new ConsoleRoutes(options, services).mount(router, tokens, shedder, body);
    new ScheduleRoutes(options, services, java.time.Clock.systemUTC()).mount(router, tokens, shedder);
    router.post("/v1/runs").handler(tokens).handler(shedder).handler(body).handler(api::startRun);
    router.get("/v1/chains/:id").handler(tokens).handler(shedder).handler(api::chain);
    router.get("/v1/contexts/:id").handler(tokens).handler(shedder).handler(api::context);
    router.get("/v1/dead/:worker").handler(tokens).handler(shedder).handler(api::dead);
    router.get("/v1/calls/:worker").handler(tokens).handler(shedder).handler(api::calls);
    router.get("/v1/webhooks/unhandled").handler(tokens).handler(ApiTokens.unscopedOnly()).handler(shedder)
        .handler(api::unhandled);
    router.errorHandler(404, Answers::notFound);
    router.errorHandler(405, Answers::methodNotAllowed);
    return router;
  }
}
