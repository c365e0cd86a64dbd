package io.flowpay.standin;

import io.flowpay.stripe.StripeForm;
import io.vertx.core.json.JsonObject;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Map;

/**
 * Stripe's HTTP protocol around the stand-in's answers: checks the API key, replays answers by
 * {@code Idempotency-Key}, stamps {@code Request-Id}. Requests are answered one at a time (the lock is
 * this instance), so the objects need no further guarding.
 */
final class StripeProtocol {

  private static final System.Logger LOG = System.getLogger(StripeProtocol.class.getName());

  /** What arrived: the method, the URL as sent (path and query), two headers and the body. */
  record Request(String method, String url, String authorization, String idempotencyKey, String body) {

    String path() {
      return url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
    }

    String route() {
      return method + " " + url;
    }
  }

  /** What goes back: a status, Stripe's JSON body and headers. */
  record Response(int status, Map<String, String> headers, String body) {}

  /** A saved first answer, with what it was for. */
  private record Saved(String route, String form, StripeReply reply, String requestId) {}

  private final TestModeStripe stripe;
  private final Map<String, Saved> byIdempotencyKey = new HashMap<>();
  private int requests;

  StripeProtocol(StripeFixtures fixtures) {
    this.stripe = new TestModeStripe(fixtures);
  }

  synchronized Response answer(Request request) {
    requests++;
    String requestId = stripe.newRequestId();
    String key = request.idempotencyKey();
    boolean post = request.method().equals("POST");
    if (!hasApiKey(request)) {
      return respond(StripeReply.noApiKey(), requestId, null);
    }
    if (post && key != null && byIdempotencyKey.containsKey(key)) {
      return replay(byIdempotencyKey.get(key), request, key, requestId);
    }
    StripeReply reply = answerFresh(request);
    if (post && key != null && reply.saved()) {
      byIdempotencyKey.put(key, new Saved(request.route(), request.body(), reply, requestId));
    }
    return respond(reply, requestId, post ? key : null);
  }

  synchronized int requestCount() {
    return requests;
  }

  synchronized int objectCount() {
    return stripe.objectCount();
  }

  private StripeReply answerFresh(Request request) {
    String url = request.url();
    String path = request.path();
    // Stripe reads GET and DELETE params from the query string, POST params from the body.
    String query = url.substring(Math.min(url.length(), path.length() + 1));
    String form = request.method().equals("POST") ? request.body() : query;
    try {
      return stripe.answer(request.method(), path, StripeForm.decode(form));
    } catch (RuntimeException bug) {
      LOG.log(Level.WARNING, "Stripe stand-in failed on " + request.method() + " " + path, bug);
      return new StripeReply(500, StripeReply.envelope(new JsonObject().put("type", "api_error")
          .put("message", "The Stripe stand-in could not answer: " + bug)), false);
    }
  }

  /** Stripe's replay: the first answer, byte for byte, if the request is the same one. */
  private Response replay(Saved saved, Request request, String key, String requestId) {
    if (!saved.route().equals(request.route()) || !saved.form().equals(request.body())) {
      return respond(StripeReply.idempotencyMismatch(key), requestId, key);
    }
    Response first = respond(saved.reply(), requestId, key);
    first.headers().put("Idempotent-Replayed", "true");
    first.headers().put("Original-Request", saved.requestId());
    return first;
  }

  private static Response respond(StripeReply reply, String requestId, String key) {
    Map<String, String> headers = new HashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("Request-Id", requestId);
    if (key != null) {
      headers.put("Idempotency-Key", key);
    }
    return new Response(reply.status(), headers, reply.body().encodePrettily());
  }

  private static boolean hasApiKey(Request request) {
    String authorization = request.authorization();
    return authorization != null && authorization.startsWith("Bearer ") && authorization.length() > "Bearer ".length();
  }
}
