package io.flowpay.stripe;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Payment intents as Stripe keeps them, with Stripe's idempotency contract, and faults: a Stripe
 * stand-in for fault storms. Per {@code Idempotency-Key} the first result is saved once the work
 * began and replayed to every later request with the key, a 500 included; a 500 that comes before
 * the work is not saved (sending again runs the request). For a share of requests it does the work
 * and then answers 500, drops the connection, or answers only after the client's timeout; and it
 * answers searches by metadata and retrieves, as Stripe does.
 *
 * <p>What it did is the truth a test checks flows against: {@link #created()} and {@link #confirmed()}.
 * Requests are answered one at a time.
 */
public final class FaultyStripe implements AutoCloseable {

  /** What happens to one request. */
  public enum Fault { NONE, FAIL_BEFORE_WORK, FAIL_AFTER_WORK, DROP_AFTER_WORK, SLOW_AFTER_WORK }

  private static final Pattern INTENT = Pattern.compile("/v1/payment_intents/(pi_[A-Za-z0-9]+)(/confirm)?");
  private static final Pattern SEARCH = Pattern.compile("metadata\\['flowpay_call'\\]:'([^']+)'");

  private final Vertx vertx;
  private final Random random;
  private final double faultShare;
  private final long slowMs;
  private final HttpServer server;
  private final Map<String, Saved> saved = new HashMap<>();
  private final Map<String, JsonObject> intents = new HashMap<>();
  private final Map<String, Integer> faults = new HashMap<>();
  private final AtomicInteger requests = new AtomicInteger();
  private int nextId;

  /**
   * @param faultShare share of requests that get a fault, spread evenly over the four kinds
   * @param slowMs how late a slow answer comes (longer than the client's timeout)
   */
  public FaultyStripe(Vertx vertx, long seed, double faultShare, long slowMs) {
    this.vertx = vertx;
    this.random = new Random(seed);
    this.faultShare = faultShare;
    this.slowMs = slowMs;
    this.server = vertx.createHttpServer().requestHandler(this::handle);
    server.listen(0, "127.0.0.1").await();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** Payment intents created, by the {@code metadata[flowpay_context]} they were created with. */
  public synchronized Map<String, List<JsonObject>> created() {
    Map<String, List<JsonObject>> byContext = new HashMap<>();
    intents.values().forEach(intent -> byContext.computeIfAbsent(
        intent.getJsonObject("metadata").getString("flowpay_context"), key -> new ArrayList<>()).add(intent));
    return byContext;
  }

  /** Ids of the payment intents confirmed (charged). */
  public synchronized List<String> confirmed() {
    return intents.values().stream().filter(intent -> "succeeded".equals(intent.getString("status")))
        .map(intent -> intent.getString("id")).toList();
  }

  /** Faults injected so far, by kind. */
  public synchronized Map<String, Integer> faults() {
    return Map.copyOf(faults);
  }

  public int requests() {
    return requests.get();
  }

  private void handle(HttpServerRequest request) {
    requests.incrementAndGet();
    request.body().onSuccess(body -> answer(request, body.toString()));
  }

  private synchronized void answer(HttpServerRequest request, String body) {
    Fault fault = fault();
    if (request.method().name().equals("GET")) {
      respond(request, fault == Fault.NONE ? read(request) : new Saved(500, apiError()), Fault.NONE);
      return;
    }
    String key = request.getHeader("Idempotency-Key");
    Saved earlier = key == null ? null : saved.get(key);
    if (earlier != null) {
      respond(request, fault == Fault.FAIL_BEFORE_WORK ? new Saved(500, apiError()) : earlier, Fault.NONE);
      return;
    }
    if (fault == Fault.FAIL_BEFORE_WORK) {
      respond(request, new Saved(500, apiError()), Fault.NONE);
      return;
    }
    Saved result = work(request.path(), StripeForm.decode(body));
    Saved kept = fault == Fault.FAIL_AFTER_WORK ? new Saved(500, apiError()) : result;
    if (key != null) {
      saved.put(key, kept);
    }
    respond(request, kept, fault);
  }

  private Fault fault() {
    if (random.nextDouble() >= faultShare) {
      return Fault.NONE;
    }
    Fault fault = Fault.values()[1 + random.nextInt(Fault.values().length - 1)];
    faults.merge(fault.name(), 1, Integer::sum);
    return fault;
  }

  private void respond(HttpServerRequest request, Saved answer, Fault fault) {
    switch (fault) {
      case DROP_AFTER_WORK -> request.connection().close();
      case SLOW_AFTER_WORK -> vertx.setTimer(slowMs, late -> send(request, answer));
      default -> send(request, answer);
    }
  }

  private static void send(HttpServerRequest request, Saved answer) {
    if (!request.response().closed()) {
      request.response().setStatusCode(answer.status()).putHeader("Content-Type", "application/json")
          .putHeader("Request-Id", "req_faulty").end(Buffer.buffer(answer.body().encode()));
    }
  }

  private Saved work(String path, JsonObject form) {
    if (path.equals("/v1/payment_intents")) {
      JsonObject intent = new JsonObject().put("id", "pi_" + (++nextId) + "x" + Integer.toHexString(random.nextInt()))
          .put("object", "payment_intent").put("amount", Long.parseLong(form.getString("amount", "0")))
          .put("currency", form.getString("currency")).put("status", "requires_confirmation")
          .put("metadata", form.getJsonObject("metadata", new JsonObject()));
      intents.put(intent.getString("id"), intent);
      return new Saved(200, intent.copy());
    }
    Matcher intent = INTENT.matcher(path);
    if (intent.matches() && intent.group(2) != null && intents.containsKey(intent.group(1))) {
      JsonObject confirmed = intents.get(intent.group(1)).put("status", "succeeded");
      return new Saved(200, confirmed.copy());
    }
    return new Saved(404, notFound(path));
  }

  private Saved read(HttpServerRequest request) {
    if (request.path().equals("/v1/payment_intents/search")) {
      Matcher query = SEARCH.matcher(String.valueOf(request.getParam("query")));
      JsonArray data = new JsonArray();
      if (query.find()) {
        intents.values().stream()
            .filter(intent -> query.group(1).equals(intent.getJsonObject("metadata").getString("flowpay_call")))
            .forEach(intent -> data.add(intent.copy()));
      }
      return new Saved(200, new JsonObject().put("object", "search_result").put("data", data).put("has_more", false));
    }
    Matcher intent = INTENT.matcher(request.path());
    if (intent.matches() && intent.group(2) == null && intents.containsKey(intent.group(1))) {
      return new Saved(200, intents.get(intent.group(1)).copy());
    }
    return new Saved(404, notFound(request.path()));
  }

  private static JsonObject apiError() {
    return new JsonObject().put("error", new JsonObject().put("type", "api_error")
        .put("message", "An unknown error occurred"));
  }

  private static JsonObject notFound(String path) {
    return new JsonObject().put("error", new JsonObject().put("type", "invalid_request_error")
        .put("code", "resource_missing").put("message", "No such object: " + path));
  }

  @Override
  public void close() {
    server.close().await();
  }

  private record Saved(int status, JsonObject body) {}
}
