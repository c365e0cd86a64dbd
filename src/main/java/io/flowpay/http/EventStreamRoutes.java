package io.flowpay.http;

import io.flowpay.flow.FlowNames;
import io.flowpay.queue.ChainStatus;
import io.flowpay.queue.QueueReader;
import io.flowpay.queue.QueueReader.RunEntry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Live run records as Server-Sent Events, behind the API's tokens: {@code GET /v1/chains/{id}/events} (each run of the
 * chain in commit order, then {@code end} once the chain is settled, or stuck with nothing else pending) and {@code GET /v1/events} (every run
 * committed from now on, filtered by {@code flow} and {@code context}). Each stream polls Redis without blocking a
 * pooled connection; a client that goes away stops its stream.
 */
final class EventStreamRoutes {

  static final long CHAIN_POLL_MS = 200;
  static final long FEED_POLL_MS = 1_000;
  private static final int BATCH = 500;

  private final Vertx vertx;
  private final QueueReader reader;
  private final HttpServices services;

  EventStreamRoutes(Vertx vertx, HttpServices services) {
    this.vertx = vertx;
    this.services = services;
    this.reader = new QueueReader(services.redis());
  }

  /** Mounts the routes; call before any route that would time the request out (a stream stays open). */
  void mount(Router router, Handler<RoutingContext> tokens) {
    // Streams span a chain's or every context's runs: scoped tokens are not served yet (403, as /metrics).
    router.get("/v1/chains/:id/events").handler(tokens).handler(ApiTokens.unscopedOnly()).handler(this::chain);
    router.get("/v1/events").handler(tokens).handler(ApiTokens.unscopedOnly()).handler(this::feed);
  }

  private void chain(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!io.flowpay.flow.Ids.isChainId(id)) {
      throw ApiProblem.invalid("id", "chain id '" + id + "' is not valid: use the chain_id POST /v1/runs answered"
          + " (1-128 letters, digits, '_' or '-', then '~' and the chain's home worker id)");
    }
    String lastEventId = ctx.request().getHeader("Last-Event-ID");
    redis(services.queue().chain(id)).onSuccess(status -> {
      if (status == null) {
        Answers.send(ctx, ApiProblem.notFound("id", "no chain '" + id + "'"));
        return;
      }
      HttpServerResponse response = open(ctx);
      new ChainStream(id, response, lastEventId == null ? "0" : lastEventId).poll();
    }).onFailure(ctx::fail);
  }

  /** Sends a chain's run records after {@code lastId}, then its end. */
  private final class ChainStream {
    final String chainId;
    final HttpServerResponse response;
    String lastId;

    ChainStream(String chainId, HttpServerResponse response, String lastId) {
      this.chainId = chainId;
      this.response = response;
      this.lastId = lastId;
    }

    void poll() {
      if (response.closed()) {
        return;
      }
      redis(services.queue().chain(chainId)).compose(status -> status == null
          ? Future.failedFuture(new IllegalStateException("chain " + chainId + " expired"))
          : redis(reader.chainRunsAfter(chainId, lastId, BATCH))
          .map(entries -> {
            entries.forEach(entry -> {
              lastId = entry.id();
              send(response, entry.id(), "run", entry.json());
            });
            return entries.size() < BATCH ? status : null;
          }))
          .onSuccess(status -> {
            if (status != null && status.ended()) {
              end(status);
            } else {
              vertx.setTimer(CHAIN_POLL_MS, tick -> poll());
            }
          })
          .onFailure(error -> fail(response, error));
    }

    /**
     * The status is read before the records: a run commits its record and the chain's counters atomically, so once a
     * status says the chain is no longer running, every record was there for the read that followed it.
     */
    void end(ChainStatus status) {
      send(response, null, "end", new JsonObject().put("chain_id", chainId).put("status", status.status())
          .put("settled", status.settled()).put("stuck", status.stuck()).put("runs", status.runs()).put("failed", status.failed())
          .put("dead", status.dead()).put("pending", status.pending()).encode());
      response.end();
    }
  }

  private void feed(RoutingContext ctx) {
    String context = ctx.queryParams().get("context");
    String flow = ctx.queryParams().get("flow");
    if (context != null) {
      id(context, "context");
    }
    if (flow != null && !FlowNames.isValid(flow)) {
      throw ApiProblem.invalid("flow", "flow '" + flow + "' is not a flow name (e.g. new_create_payment_intent_response)");
    }
    redis(reader.now()).onSuccess(now -> {
      HttpServerResponse response = open(ctx);
      new Feed(response, context, flow, now).poll();
    }).onFailure(ctx::fail);
  }

  /** Every run committed since the feed opened; one context's with a cheap range read, all contexts' with a scan. */
  private final class Feed {
    final HttpServerResponse response;
    final String context;
    final String flow;
    long since;
    String lastId;
    Set<String> sent = new HashSet<>();

    Feed(HttpServerResponse response, String context, String flow, long now) {
      this.response = response;
      this.context = context;
      this.flow = flow;
      this.since = now;
      this.lastId = now + "-0";
    }

    void poll() {
      if (response.closed()) {
        return;
      }
      Future<List<RunEntry>> read = context != null ? reader.contextRunsAfter(context, lastId, BATCH) : scan();
      redis(read).onSuccess(entries -> {
        entries.forEach(this::offer);
        vertx.setTimer(context != null ? CHAIN_POLL_MS : FEED_POLL_MS, tick -> poll());
      }).onFailure(error -> fail(response, error));
    }

    /** All contexts: the last few seconds again each time (Redis's clock), each entry sent once. */
    Future<List<RunEntry>> scan() {
      return reader.now().compose(now -> reader.entriesSince(since, BATCH).map(entries -> {
        entries.sort((a, b) -> compareIds(a.id(), b.id()));
        long next = now - 5_000;
        if (next > since) {
          sent.removeIf(key -> millis(key.substring(key.lastIndexOf(' ') + 1)) < next);
          since = next;
        }
        return entries;
      }));
    }

    void offer(RunEntry entry) {
      lastId = entry.id();
      if (context == null && !sent.add(entry.stream() + " " + entry.id())) {
        return;
      }
      if (flow == null || new JsonObject(entry.json()).getString("flow", "").equals(flow)) {
        send(response, entry.id(), "run", entry.json());
      }
    }
  }

  private static HttpServerResponse open(RoutingContext ctx) {
    HttpServerResponse response = ctx.response().setStatusCode(200).setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8").putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no");
    response.write(": flowpay events\n\n");
    return response;
  }

  private static void send(HttpServerResponse response, String id, String event, String data) {
    if (!response.closed() && !response.ended()) {
      response.write((id == null ? "" : "id: " + id + "\n") + "event: " + event + "\ndata: " + data + "\n\n");
    }
  }

  private static void fail(HttpServerResponse response, Throwable error) {
    if (!response.closed() && !response.ended()) {
      send(response, null, "error", new JsonObject().put("message", "the stream stopped (" + error.getMessage()
          + "); reconnect to go on").encode());
      response.end();
    }
  }

  private static String id(String id, String name) {
    if (!FlowNames.isValidId(id)) {
      throw ApiProblem.invalid(name, name + " '" + id + "' is not valid: use 1-128 letters, digits, '_', '-', '.' or ':'");
    }
    return id;
  }

  private static int compareIds(String a, String b) {
    int byTime = Long.compare(millis(a), millis(b));
    return byTime != 0 ? byTime : Long.compare(sequence(a), sequence(b));
  }

  private static long millis(String id) {
    int dash = id.indexOf('-');
    return Long.parseLong(dash < 0 ? id : id.substring(0, dash));
  }

  private static long sequence(String id) {
    int dash = id.indexOf('-');
    return dash < 0 ? 0 : Long.parseLong(id.substring(dash + 1));
  }

  private static <T> Future<T> redis(Future<T> call) {
    return call.timeout(HttpVerticle.REDIS_TIMEOUT_MS, TimeUnit.MILLISECONDS);
  }
}
