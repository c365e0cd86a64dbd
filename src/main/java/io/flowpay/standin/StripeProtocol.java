package io.flowpay.standin;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.flowpay.stripe.StripeForm;
import io.vertx.core.json.JsonObject;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Map;

/**
 * The WireMock extension that answers every request like Stripe: checks the API key, replays
 * answers by {@code Idempotency-Key}, stamps {@code Request-Id}. Requests are answered one at a
 * time (the lock is this instance), so the objects need no further guarding.
 */
final class StripeProtocol implements ResponseDefinitionTransformerV2 {

  private static final Logger LOG = System.getLogger(StripeProtocol.class.getName());

  /** A saved first answer, with what it was for. */
  private record Saved(String route, String form, StripeReply reply, String requestId) {}

  private final TestModeStripe stripe;
  private final Map<String, Saved> byIdempotencyKey = new HashMap<>();
  private int requests;

  StripeProtocol(StripeFixtures fixtures) {
    this.stripe = new TestModeStripe(fixtures);
  }

  @Override
  public String getName() {
    return "flowpay-stripe-stand-in";
  }

  @Override
  public synchronized ResponseDefinition transform(ServeEvent serveEvent) {
    requests++;
    Request request = serveEvent.getRequest();
    String requestId = stripe.newRequestId();
    String key = request.getHeader("Idempotency-Key");
    boolean post = request.getMethod().getName().equals("POST");
    if (!hasApiKey(request)) {
      return respond(StripeReply.noApiKey(), requestId, null);
    }
    if (post && key != null && byIdempotencyKey.containsKey(key)) {
      return replay(byIdempotencyKey.get(key), route(request), request.getBodyAsString(), key, requestId);
    }
    StripeReply reply = answer(request);
    if (post && key != null && reply.saved()) {
      byIdempotencyKey.put(key, new Saved(route(request), request.getBodyAsString(), reply, requestId));
    }
    return respond(reply, requestId, post ? key : null);
  }

  synchronized int requestCount() {
    return requests;
  }

  synchronized int objectCount() {
    return stripe.objectCount();
  }

  private StripeReply answer(Request request) {
    String url = request.getUrl();
    String path = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
    String method = request.getMethod().getName();
    // Stripe reads GET and DELETE params from the query string, POST params from the body.
    String query = url.substring(Math.min(url.length(), path.length() + 1));
    String form = method.equals("POST") ? request.getBodyAsString() : query;
    try {
      return stripe.answer(method, path, StripeForm.decode(form));
    } catch (RuntimeException bug) {
      LOG.log(Level.WARNING, "Stripe stand-in failed on " + request.getMethod() + " " + path, bug);
      return new StripeReply(500, StripeReply.envelope(new JsonObject().put("type", "api_error")
          .put("message", "The Stripe stand-in could not answer: " + bug)), false);
    }
  }

  /** Stripe's replay: the first answer, byte for byte, if the request is the same one. */
  private ResponseDefinition replay(Saved saved, String route, String form, String key, String requestId) {
    if (!saved.route().equals(route) || !saved.form().equals(form)) {
      return respond(StripeReply.idempotencyMismatch(key), requestId, key);
    }
    return builder(saved.reply(), requestId, key)
        .withHeader("Idempotent-Replayed", "true")
        .withHeader("Original-Request", saved.requestId())
        .build();
  }

  private static ResponseDefinition respond(StripeReply reply, String requestId, String key) {
    return builder(reply, requestId, key).build();
  }

  private static ResponseDefinitionBuilder builder(StripeReply reply, String requestId, String key) {
    ResponseDefinitionBuilder builder = ResponseDefinitionBuilder.responseDefinition()
        .withStatus(reply.status())
        .withHeader("Content-Type", "application/json")
        .withHeader("Request-Id", requestId)
        .withBody(reply.body().encodePrettily());
    return key == null ? builder : builder.withHeader("Idempotency-Key", key);
  }

  private static String route(Request request) {
    return request.getMethod().getName() + " " + request.getUrl();
  }

  private static boolean hasApiKey(Request request) {
    String authorization = request.getHeader("Authorization");
    return authorization != null && authorization.startsWith("Bearer ") && authorization.length() > "Bearer ".length();
  }
}
