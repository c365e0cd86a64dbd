package io.flowpay.http;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;
import io.flowpay.flow.Caller;
import io.flowpay.flow.FlowNames;
import io.flowpay.flow.Task;
import io.flowpay.metrics.FlowMetrics;
import io.flowpay.worker.FlowLibrary;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /webhooks/stripe}: verifies {@code Stripe-Signature} over the raw body, then starts
 * the event's flow as a new chain (see {@link EventRoute}) or, when there is no such flow, records
 * the event as unhandled. Either happens once per event id; a repeated delivery is acknowledged
 * without doing anything again. A 2xx goes back only once the event is safely in Redis, so Stripe
 * retries anything that was not.
 */
final class StripeWebhook implements Handler<RoutingContext> {

  private static final System.Logger LOG = System.getLogger(StripeWebhook.class.getName());
  /** Signatures older than this are refused (Stripe's recommended tolerance). */
  static final long TOLERANCE_SECONDS = 300;
  static final String SIGNATURE = "Stripe-Signature";

  private final Vertx vertx;
  private final String secret;
  private final Path flowsDir;
  private final FlowLibrary flows;
  private final java.util.function.UnaryOperator<String> defaultWorker;
  private final StripeEvents events;
  private final FlowMetrics metrics;

  /** @param flows files and uploaded versions (an uploaded {@code on_<event>} flow handles its events); may be null */
  StripeWebhook(Vertx vertx, String secret, Path flowsDir, java.util.function.UnaryOperator<String> defaultWorker, StripeEvents events,
      FlowMetrics metrics, FlowLibrary flows) {
    this.flows = flows;
    this.vertx = vertx;
    this.secret = secret;
    this.flowsDir = flowsDir;
    this.defaultWorker = defaultWorker;
    this.events = events;
    this.metrics = metrics;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String payload = BoundedBody.of(ctx).toString();
    String refused = verify(payload, ctx.request().getHeader(SIGNATURE));
    if (refused != null) {
      metrics.webhookEvent("unverified", WebhookOutcome.REJECTED.wire());
      LOG.log(Level.WARNING, "webhook: refused a delivery from {0}: {1}", ctx.request().remoteAddress(), refused);
      Answers.send(ctx, 400, "invalid_signature", SIGNATURE, refused);
      return;
    }
    JsonObject event = event(payload);
    EventRoute route = EventRoute.of(event, defaultWorker);
    take(event, route)
        .timeout(HttpVerticle.REDIS_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .onSuccess(answer -> reply(ctx, event, answer))
        .onFailure(ctx::fail);
  }

  /** Null when the signature is good; otherwise why not, in words (never the secret). */
  private String verify(String payload, String header) {
    if (header == null || header.isBlank()) {
      return "missing " + SIGNATURE + " header: only Stripe's signed deliveries are accepted";
    }
    try {
      Webhook.Signature.verifyHeader(payload, header, secret, TOLERANCE_SECONDS);
      return null;
    } catch (SignatureVerificationException bad) {
      return SIGNATURE + " does not verify (" + bad.getMessage() + "): check that STRIPE_WEBHOOK_SECRET is this"
          + " endpoint's signing secret and that the clocks agree";
    }
  }

  /** The verified body as an event: a JSON object with a valid id and a type. */
  private static JsonObject event(String payload) {
    JsonObject event;
    try {
      event = new JsonObject(payload);
    } catch (DecodeException | ClassCastException bad) {
      throw ApiProblem.invalid(null, "the body is not a JSON object");
    }
    if (!(event.getValue("id") instanceof String id) || !FlowNames.isValidId(id)) {
      throw ApiProblem.invalid("id", "the event has no valid id");
    }
    if (!(event.getValue("type") instanceof String type) || type.isEmpty()) {
      throw ApiProblem.invalid("type", "the event has no type");
    }
    return event;
  }

  private Future<Answer> take(JsonObject event, EventRoute route) {
    events.nudgeReconciliation(event);
    if (!route.runnable()) {
      return unhandled(event, route, route.problem());
    }
    Future<Boolean> found = flows != null ? flows.exists(route.flow())
        : vertx.fileSystem().exists(flowsDir.resolve(route.flow() + ".js").toString());
    return found.compose(exists -> exists ? start(event, route) : unhandled(event, route, "no flow " + route.flow()
            + " (add " + flowsDir.resolve(route.flow() + ".js") + " to handle " + event.getString("type") + ")"));
  }

  private Future<Answer> start(JsonObject event, EventRoute route) {
    Task task = Task.event(route.flow(), route.workerId(), route.contextId(), event, event.getString("id"));
    return events.start(task).map(outcome -> outcome.taken()
        ? new Answer(WebhookOutcome.STARTED, task.chainId(), route)
        : Answer.duplicate(outcome, route));
  }

  private Future<Answer> unhandled(JsonObject event, EventRoute route, String reason) {
    return events.unhandled(event, reason).map(outcome -> outcome.taken()
        ? new Answer(WebhookOutcome.UNHANDLED, null, route)
        : Answer.duplicate(outcome, route));
  }

  private void reply(RoutingContext ctx, JsonObject event, Answer answer) {
    String type = event.getString("type");
    metrics.webhookEvent(type, answer.outcome().wire());
    if (answer.outcome() == WebhookOutcome.STARTED) {
      metrics.runStarted(answer.route().flow(), Caller.WEBHOOK.id());
    }
    LOG.log(answer.outcome() == WebhookOutcome.UNHANDLED ? Level.INFO : Level.DEBUG, "webhook: event {0} ({1}) {2}",
        event.getString("id"), type, answer.outcome().wire());
    JsonObject body = new JsonObject().put("received", true).put("event_id", event.getString("id"))
        .put("outcome", answer.outcome().wire()).put("flow", answer.route().flow());
    if (answer.chainId() != null) {
      body.put("chain_id", answer.chainId());
    }
    Answers.json(ctx, 200, body);
  }

  /** What became of one delivery: started, unhandled or a duplicate (of a chain, or of an unhandled event). */
  private record Answer(WebhookOutcome outcome, String chainId, EventRoute route) {

    /** {@code outcome.earlier()} is the chain the first delivery started, or {@code unhandled} (event_unhandled.lua). */
    static Answer duplicate(StripeEvents.Outcome outcome, EventRoute route) {
      String earlier = outcome.earlier();
      return new Answer(WebhookOutcome.DUPLICATE, WebhookOutcome.UNHANDLED.wire().equals(earlier) ? null : earlier, route);
    }
  }
}
