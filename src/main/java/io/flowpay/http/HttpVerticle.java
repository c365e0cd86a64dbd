package io.flowpay.http;

import io.flowpay.config.FlowpayOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.TimeoutHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.List;

/**
 * The HTTP server of {@code flowpay serve}: the {@code /v1} API and {@code /metrics} behind bearer
 * tokens, {@code /health} open, and {@code POST /webhooks/stripe} (signed by Stripe) when webhooks
 * are configured. Every request ends with an answer: a result, or a JSON problem
 * ({@link Answers}); a request that is not answered within {@link #REQUEST_TIMEOUT_MS} gets a 503.
 */
public final class HttpVerticle extends VerticleBase {

  /** Longest any one Redis call of a request may take. */
  static final long REDIS_TIMEOUT_MS = 5_000;
  /** Backstop: no request stays open longer than this. */
  static final long REQUEST_TIMEOUT_MS = 15_000;

  private final FlowpayOptions options;
  private final HttpServices services;
  private final List<String> apiTokens;
  private final String webhookSecret;
  private HttpServer server;

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
    HttpServerOptions listen = new HttpServerOptions().setHost(options.http().host()).setPort(options.http().port());
    return vertx.createHttpServer(listen).requestHandler(router()).listen().onSuccess(started -> server = started);
  }

  /** The port it listens on (the one picked when {@code http.port} is 0). */
  public int port() {
    return server.actualPort();
  }

  private Router router() {
    ApiTokens tokens = new ApiTokens(apiTokens);
    StripeEvents events = new StripeEvents(services.redis(), services.queue());
    ApiRoutes api = new ApiRoutes(vertx, options, services, events);
    BodyHandler body = BodyHandler.create(false).setBodyLimit(options.http().maxBodyBytes());
    int maxBody = options.http().maxBodyBytes();

    Router router = Router.router(vertx);
    new EventStreamRoutes(vertx, services).mount(router, tokens);  // streams: before the request timeout
    router.route().handler(TimeoutHandler.create(REQUEST_TIMEOUT_MS));
    router.route().failureHandler(ctx -> Answers.failed(ctx, maxBody));
    router.get("/health").handler(new Health(services));
    router.get("/metrics").handler(tokens).handler(PrometheusScrapingHandler.create(services.metrics().registry()));
    if (options.webhooks().enabled()) {
      router.post("/webhooks/stripe").handler(body).handler(new StripeWebhook(vertx, webhookSecret,
          options.flowsDir(), options.webhooks().defaultWorker(options.workers()), events, services.metrics()));
    }
    new ConsoleRoutes(options, services).mount(router, tokens, body);
    router.post("/v1/runs").handler(body).handler(tokens).handler(api::startRun);
    router.get("/v1/chains/:id").handler(tokens).handler(api::chain);
    router.get("/v1/contexts/:id").handler(tokens).handler(api::context);
    router.get("/v1/dead/:worker").handler(tokens).handler(api::dead);
    router.get("/v1/webhooks/unhandled").handler(tokens).handler(api::unhandled);
    router.errorHandler(404, Answers::notFound);
    router.errorHandler(405, Answers::methodNotAllowed);
    return router;
  }
}
