package io.flowpay.standin;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

/**
 * A local stand-in for Stripe, for {@code flowpay demo} and {@code serve --local} without a
 * {@code STRIPE_SECRET_KEY} (and for tests): a Vert.x HTTP server on a free loopback port, on an event
 * loop of its own, that answers payment intents (create, confirm with a test card, capture, cancel) and
 * refunds the way Stripe's test mode does, and every other resource of
 * {@link io.flowpay.stripe.StripeResources} generically (create, retrieve, update, delete, list, search,
 * status actions such as {@code invoices/{id}/finalize}), from Stripe's published example objects. It
 * keeps what it created, honours {@code Idempotency-Key} and sends Stripe's error envelopes. Any
 * non-empty Bearer key is accepted. Point {@link io.flowpay.config.StripeOptions#apiBase()} at
 * {@link #baseUrl()}.
 *
 * <p>{@link #start()} binds a socket and reads the fixtures, and {@link #close()} waits for the server to
 * stop: call them off any event loop.
 */
public final class StripeStandIn implements AutoCloseable {

  private final Vertx vertx;
  private final HttpServer server;
  private final StripeProtocol stripe;

  private StripeStandIn(Vertx vertx, StripeProtocol stripe) {
    this.vertx = vertx;
    this.stripe = stripe;
    this.server = vertx.createHttpServer().requestHandler(this::answer);
  }

  /** Starts a stand-in with no objects on a free port of 127.0.0.1. */
  public static StripeStandIn start() {
    StripeProtocol stripe = new StripeProtocol(StripeFixtures.load());
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    StripeStandIn standIn = new StripeStandIn(vertx, stripe);
    try {
      standIn.server.listen(0, "127.0.0.1").await();
    } catch (RuntimeException cannotListen) {
      vertx.close();
      throw cannotListen;
    }
    return standIn;
  }

  /** e.g. {@code http://127.0.0.1:41234}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** Requests answered so far. */
  public int requestCount() {
    return stripe.requestCount();
  }

  /** Objects the stand-in holds (created and not deleted). */
  public int objectCount() {
    return stripe.objectCount();
  }

  private void answer(HttpServerRequest request) {
    request.body()
        .map(body -> stripe.answer(new StripeProtocol.Request(request.method().name(), request.uri(),
            request.getHeader("Authorization"), request.getHeader("Idempotency-Key"), body.toString())))
        .onSuccess(answer -> send(request, answer))
        .onFailure(broken -> request.connection().close());
  }

  private static void send(HttpServerRequest request, StripeProtocol.Response answer) {
    var response = request.response().setStatusCode(answer.status());
    answer.headers().forEach(response::putHeader);
    response.end(Buffer.buffer(answer.body()));
  }

  @Override
  public void close() {
    vertx.close().await();
  }

  @Override
  public String toString() {
    return "StripeStandIn[" + baseUrl() + "]";
  }
}
