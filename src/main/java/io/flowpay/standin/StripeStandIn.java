package io.flowpay.standin;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.ConsoleNotifier;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.flowpay.stripe.StripeResources;

/**
 * A local stand-in for Stripe, for {@code flowpay demo} without a {@code STRIPE_SECRET_KEY} (and
 * for tests): a WireMock server on a free loopback port that answers payment intents (create,
 * confirm with a test card, capture, cancel) and refunds the way Stripe's test mode does, and every
 * other resource of {@link StripeResources} generically (create, retrieve, update, delete, list,
 * search, status actions such as {@code invoices/{id}/finalize}), from Stripe's published example
 * objects. It keeps what it created, honours {@code Idempotency-Key} and sends Stripe's error
 * envelopes. Any non-empty Bearer key is accepted. Point
 * {@link io.flowpay.config.StripeOptions#apiBase()} at {@link #baseUrl()}.
 *
 * <p>{@link #start()} binds a socket and reads the fixtures: call it off the event loop.
 */
public final class StripeStandIn implements AutoCloseable {

  private final WireMockServer server;
  private final StripeProtocol stripe;

  private StripeStandIn(WireMockServer server, StripeProtocol stripe) {
    this.server = server;
    this.stripe = stripe;
  }

  /** Starts a stand-in with no objects on a free port of 127.0.0.1. */
  public static StripeStandIn start() {
    StripeProtocol stripe = new StripeProtocol(StripeFixtures.load());
    WireMockServer server = new WireMockServer(WireMockConfiguration.options()
        .dynamicPort()
        .bindAddress("127.0.0.1")
        .notifier(new ConsoleNotifier(false))
        .disableRequestJournal()
        .extensions(stripe));
    server.start();
    // Every request matches; the extension writes the answer.
    server.stubFor(any(anyUrl()).willReturn(aResponse()));
    return new StripeStandIn(server, stripe);
  }

  /** e.g. {@code http://127.0.0.1:41234}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.port();
  }

  /** Requests answered so far. */
  public int requestCount() {
    return stripe.requestCount();
  }

  /** Objects the stand-in holds (created and not deleted). */
  public int objectCount() {
    return stripe.objectCount();
  }

  @Override
  public void close() {
    server.stop();
  }

  @Override
  public String toString() {
    return "StripeStandIn[" + baseUrl() + "]";
  }
}
