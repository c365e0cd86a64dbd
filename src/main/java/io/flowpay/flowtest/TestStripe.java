package io.flowpay.flowtest;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Stripe that flow tests talk to: an HTTP server on a free loopback port that speaks Stripe's wire format. A
 * request under {@code /__t/<test>/} belongs to that test ({@link RoutingStripeClient} puts it there): it is
 * recorded, and answered by the test's latest matching {@link Rule} that has answers left, else passed on to the Stripe stand-in behind
 * (test-mode behaviour: created objects, test cards, refunds, idempotency) and its answer passed back as is.
 */
final class TestStripe implements AutoCloseable {

  static final String PREFIX = "/__t/";
  private static final List<String> FORWARDED =
      List.of("Authorization", "Content-Type", "Idempotency-Key", "Stripe-Account", "Stripe-Version", "User-Agent");

  private final Vertx vertx;
  private final HttpClient standIn;
  private final String standInBase;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private HttpServer server;
  private int port;

  /** One test's rules and the requests it made. */
  static final class Session {
    private final List<Rule> rules = new ArrayList<>();
    private final List<JsonObject> requests = new ArrayList<>();

    synchronized void add(Rule rule) {
      rules.add(rule);
    }

    synchronized List<JsonObject> requests() {
      return requests.stream().map(JsonObject::copy).toList();
    }

    private synchronized Rule take(String method, String path) {
      // The latest rule for a route wins: a test says "from now on Stripe answers this".
      for (int i = rules.size() - 1; i >= 0; i--) {
        Rule rule = rules.get(i);
        if (rule.matches(method, path) && rule.take()) {
          return rule;
        }
      }
      return null;
    }

    private synchronized void record(JsonObject request) {
      requests.add(request);
    }
  }

  TestStripe(Vertx vertx, String standInBase) {
    this.vertx = vertx;
    this.standInBase = standInBase;
    this.standIn = vertx.createHttpClient();
  }

  /** Binds the server; call off the event loop. */
  TestStripe start() {
    server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1").await();
    port = server.actualPort();
    return this;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  Session session(String test) {
    return sessions.computeIfAbsent(test, id -> new Session());
  }

  void forget(String test) {
    sessions.remove(test);
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      String uri = request.uri();
      Session session = null;
      String rest = uri;
      if (uri.startsWith(PREFIX)) {
        int slash = uri.indexOf('/', PREFIX.length());
        if (slash > 0) {
          session = sessions.get(uri.substring(PREFIX.length(), slash));
          rest = uri.substring(slash);
        }
      }
      String method = request.method().name();
      int question = rest.indexOf('?');
      String path = question < 0 ? rest : rest.substring(0, question);
      String form = method.equals("POST") ? body.toString() : question < 0 ? "" : rest.substring(question + 1);
      Rule rule = session == null ? null : session.take(method, path);
      if (session != null) {
        session.record(new JsonObject().put("method", method).put("path", path).put("form", form)
            .put("params", FormDecoder.decode(form))
            .put("idempotency_key", request.getHeader("Idempotency-Key"))
            .put("stripe_account", request.getHeader("Stripe-Account"))
            .put("answered_by", rule == null ? "stand-in" : "test:" + rule.route()));
      }
      if (rule != null) {
        answer(request, rule);
      } else {
        forward(request, rest, body);
      }
    });
  }

  private void answer(HttpServerRequest request, Rule rule) {
    if (rule.noAnswer()) {
      // The request reached "Stripe" and nothing came back: the connection is reset.
      request.connection().close();
      return;
    }
    request.response().setStatusCode(rule.status())
        .putHeader("Content-Type", "application/json")
        .putHeader("Request-Id", "req_test" + Integer.toHexString(System.identityHashCode(rule)))
        .end(rule.body().encode());
  }

  private void forward(HttpServerRequest request, String rest, Buffer body) {
    RequestOptions options = new RequestOptions().setAbsoluteURI(standInBase + rest)
        .setMethod(HttpMethod.valueOf(request.method().name()));
    for (String header : FORWARDED) {
      String value = request.getHeader(header);
      if (value != null) {
        options.putHeader(header, value);
      }
    }
    standIn.request(options)
        .compose(out -> out.send(body))
        .compose(response -> response.body().map(answer -> relay(request, response, answer)))
        .onFailure(failure -> request.response().setStatusCode(502).end(
            new JsonObject().put("error", new JsonObject().put("type", "api_error")
                .put("message", "the Stripe stand-in of flowpay test did not answer: " + failure.getMessage())).encode()));
  }

  private static Future<Void> relay(HttpServerRequest request, HttpClientResponse response, Buffer answer) {
    MultiMap headers = request.response().headers();
    for (String header : List.of("Content-Type", "Request-Id", "Idempotency-Key", "Idempotent-Replayed",
        "Original-Request", "Stripe-Should-Retry", "Retry-After")) {
      String value = response.getHeader(header);
      if (value != null) {
        headers.set(header, value);
      }
    }
    return request.response().setStatusCode(response.statusCode()).end(answer);
  }

  @Override
  public void close() {
    if (server != null) {
      server.close().await();
    }
    standIn.close().await();
  }
}
