package io.flowpay.http;

import static io.flowpay.FlowpayHarness.fixture;
import static io.flowpay.FlowpayHarness.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.TestRedis;
import io.flowpay.config.WebhookOptions;
import io.flowpay.flow.Ids;
import java.util.function.UnaryOperator;
import io.flowpay.flow.Task;
import io.flowpay.queue.ReconcilingCalls;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /webhooks/stripe} end to end: signed deliveries over real HTTP, a running worker, real Redis. */
@ExtendWith(TestRedis.Extension.class)
class StripeWebhookIT {

  /** Records what the flow saw, and counts its runs per context. */
  private static final String RECORDING_FLOW = """
      ctx.set('runs', (ctx.get('runs') || 0) + 1);
      ctx.set('caller', meta.caller_id);
      ctx.set('event_id', meta.event_id);
      ctx.set('intent', input.data.object.id);
      ctx.set('intent_status', input.data.object.status);
      """;

  @Test
  void signedEventRunsItsFlowOnTheWorkerAndContextInMetadata(TestRedis redis, @TempDir Path flows) {
    write(flows, "on_payment_intent_succeeded", RECORDING_FLOW);
    try (HttpFixture http = new HttpFixture(redis, flows,
        options -> options.withWebhooks(new WebhookOptions(true, "w-nobody-serves-this")))) {
      String context = "order-" + Ids.newId();
      JsonObject intent = intent().put("status", "succeeded").put("metadata",
          new JsonObject().put("flowpay_worker", http.flowpay.worker).put("flowpay_context", context));
      String eventId = "evt_" + Ids.newId();

      HttpResponse<Buffer> response = http.deliver(HttpFixture.event(eventId, "payment_intent.succeeded", intent).encode());

      assertEquals(200, response.statusCode(), response.bodyAsString());
      JsonObject body = response.bodyAsJsonObject();
      assertEquals("started", body.getString("outcome"));
      assertEquals("on_payment_intent_succeeded", body.getString("flow"));
      List<JsonObject> runs = http.flowpay.awaitRuns(body.getString("chain_id"), 1);
      assertEquals("ok", runs.get(0).getString("status"), runs.get(0).encodePrettily());
      assertEquals(http.flowpay.worker, runs.get(0).getString("worker_id"));
      assertEquals(context, runs.get(0).getString("context_id"));
      assertEquals(new JsonObject().put("runs", 1).put("caller", "webhook").put("event_id", eventId)
          .put("intent", intent.getString("id")).put("intent_status", "succeeded"), http.flowpay.state(context));
    }
  }

  /**
   * A create whose answer was a 500 is being reconciled, its next look-up an hour away; Stripe's event
   * about the object it made (its metadata names the call) makes the look-up happen now, and the
   * response flow runs with the object found.
   */
  @Test
  void eventAboutAnObjectEndsTheReconcilingOfTheCallThatMadeIt(TestRedis redis, @TempDir Path flows) {
    write(flows, "pay", "stripe.paymentIntents.create({amount: 100, currency: 'eur'});");
    write(flows, "new_create_payment_intent_response", "ctx.set('intent', response.id); ctx.set('how', request.reconciled);");
    try (HttpFixture http = new HttpFixture(redis, flows,
        node -> node.withStripe(node.stripe().withRetries(1, 10, 10, 1_000).withReconcile(600_000, 3_600_000, 3_600_000)),
        UnaryOperator.identity(), List.of(HttpFixture.TOKEN))) {
      String context = "order-" + Ids.newId();
      http.flowpay.stripe.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
          com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/v1/payment_intents"))
          .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(500)
              .withHeader("Content-Type", "application/json").withBody("{\"error\": {\"type\": \"api_error\"}}")));
      Task task = http.flowpay.start("pay", context, null);
      String call = Ids.callId(task.taskId(), 0);
      ReconcilingCalls reconciling = new ReconcilingCalls(http.flowpay.redis);
      long deadline = System.currentTimeMillis() + 30_000;
      while (reconciling.list(http.flowpay.worker).await().isEmpty() && System.currentTimeMillis() < deadline) {
        http.flowpay.vertx.timer(10).await();
      }
      JsonObject listed = http.get("/v1/calls/" + http.flowpay.worker).bodyAsJsonObject();
      JsonObject held = listed.getJsonArray("reconciling").getJsonObject(0);
      assertEquals(call, held.getString("call_id"), listed.encode());
      assertEquals(context, held.getString("context_id"));
      assertEquals(500, held.getInteger("last_status"));
      JsonObject intent = intent().put("metadata", new JsonObject().put("flowpay_worker", http.flowpay.worker)
          .put("flowpay_context", context).put("flowpay_call", call));
      http.flowpay.stripe.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
          com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/v1/payment_intents/search"))
          .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson(new JsonObject().put("object", "search_result")
              .put("data", new io.vertx.core.json.JsonArray().add(intent)).encode())));

      HttpResponse<Buffer> response = http.deliver(HttpFixture.event("evt_" + Ids.newId(), "payment_intent.created",
          intent).encode());

      assertEquals(200, response.statusCode(), response.bodyAsString());
      List<JsonObject> runs = http.flowpay.settle(task);
      assertEquals(List.of("pay", "new_create_payment_intent_response"),
          runs.stream().map(run -> run.getString("flow")).toList());
      assertEquals(new JsonObject().put("intent", intent.getString("id")).put("how", "found"), http.flowpay.state(context));
      assertEquals(0, http.get("/v1/calls/" + http.flowpay.worker).bodyAsJsonObject().getJsonArray("reconciling").size());
    }
  }

  @Test
  void eventWithoutMetadataRunsOnDefaultWorkerInContextNamedByObjectId(TestRedis redis, @TempDir Path flows) {
    write(flows, "on_payment_intent_succeeded", RECORDING_FLOW);
    try (HttpFixture http = new HttpFixture(redis, flows)) {
      JsonObject intent = intent();
      HttpResponse<Buffer> response = http.deliver(
          HttpFixture.event("evt_" + Ids.newId(), "payment_intent.succeeded", intent).encode());

      assertEquals(200, response.statusCode(), response.bodyAsString());
      List<JsonObject> runs = http.flowpay.awaitRuns(response.bodyAsJsonObject().getString("chain_id"), 1);
      assertEquals(http.flowpay.worker, runs.get(0).getString("worker_id"), "the default worker: the first of workers");
      assertEquals(intent.getString("id"), runs.get(0).getString("context_id"));
      assertEquals(intent.getString("id"), http.flowpay.state(intent.getString("id")).getString("intent"));
    }
  }

  @Test
  void badSignaturesAreRefusedAndEnqueueNothing(TestRedis redis, @TempDir Path flows) {
    write(flows, "on_payment_intent_succeeded", RECORDING_FLOW);
    try (HttpFixture http = new HttpFixture(redis, flows)) {
      String eventId = "evt_" + Ids.newId();
      String payload = HttpFixture.event(eventId, "payment_intent.succeeded", intent()).encode();
      http.flowpay.node.queue().ensureGroup(http.flowpay.worker).await();
      long before = http.streamLength(http.flowpay.tasksKey());

      List<HttpResponse<Buffer>> refused = List.of(
          http.deliver(payload, "whsec_someone_elses_secret", HttpFixture.now()),
          http.deliver(payload, HttpFixture.SECRET, HttpFixture.now() - StripeWebhook.TOLERANCE_SECONDS - 60),
          tampered(http, payload),
          http.client.post("/webhooks/stripe").sendBuffer(Buffer.buffer(payload)).await());

      for (HttpResponse<Buffer> response : refused) {
        assertEquals(400, response.statusCode(), response.bodyAsString());
        assertEquals("invalid_signature", HttpFixture.error(response).getString("type"));
        assertEquals("Stripe-Signature", HttpFixture.error(response).getString("field"));
      }
      assertTrue(HttpFixture.error(refused.get(1)).getString("message").contains("tolerance"),
          HttpFixture.error(refused.get(1)).encode());
      assertTrue(HttpFixture.error(refused.get(3)).getString("message").startsWith("missing Stripe-Signature"));
      assertEquals(before, http.streamLength(http.flowpay.tasksKey()), "nothing enqueued");
      assertFalse(http.exists(StripeEvents.mark(http.flowpay.worker, eventId)), "a refused delivery does not mark the event as seen");
      assertEquals(200, http.deliver(payload).statusCode(), "the genuine delivery still goes through afterwards");
    }
  }

  private static HttpResponse<Buffer> tampered(HttpFixture http, String payload) {
    String signature = HttpFixture.signature(payload, HttpFixture.SECRET, HttpFixture.now());
    String changed = payload.replace("\"amount\":1099", "\"amount\":1");
    assertTrue(!changed.equals(payload), "the tampering changes the body");
    return http.client.post("/webhooks/stripe").putHeader("Stripe-Signature", signature)
        .sendBuffer(Buffer.buffer(changed)).await();
  }

  @Test
  void sameEventDeliveredTwiceRunsOnce(TestRedis redis, @TempDir Path flows) {
    write(flows, "on_payment_intent_succeeded", RECORDING_FLOW);
    try (HttpFixture http = new HttpFixture(redis, flows)) {
      JsonObject intent = intent();
      String payload = HttpFixture.event("evt_" + Ids.newId(), "payment_intent.succeeded", intent).encode();
      http.flowpay.node.queue().ensureGroup(http.flowpay.worker).await();
      long before = http.streamLength(http.flowpay.tasksKey());

      HttpResponse<Buffer> first = http.deliver(payload);
      HttpResponse<Buffer> second = http.deliver(payload);

      assertEquals(200, second.statusCode(), second.bodyAsString());
      assertEquals("started", first.bodyAsJsonObject().getString("outcome"));
      assertEquals("duplicate", second.bodyAsJsonObject().getString("outcome"));
      assertEquals(first.bodyAsJsonObject().getString("chain_id"), second.bodyAsJsonObject().getString("chain_id"));
      assertEquals(before + 1, http.streamLength(http.flowpay.tasksKey()));
      http.flowpay.awaitRuns(first.bodyAsJsonObject().getString("chain_id"), 1);
      assertEquals(1, http.flowpay.state(intent.getString("id")).getInteger("runs"));
    }
  }

  @Test
  void concurrentDeliveriesOfOneEventStartOneChain(TestRedis redis, @TempDir Path flows) {
    write(flows, "on_payment_intent_succeeded", RECORDING_FLOW);
    try (HttpFixture http = new HttpFixture(redis, flows)) {
      String payload = HttpFixture.event("evt_" + Ids.newId(), "payment_intent.succeeded", intent()).encode();
      String signature = HttpFixture.signature(payload, HttpFixture.SECRET, HttpFixture.now());
      List<Future<HttpResponse<Buffer>>> sent = java.util.stream.IntStream.range(0, 8)
          .mapToObj(i -> http.client.post("/webhooks/stripe").putHeader("Stripe-Signature", signature)
              .sendBuffer(Buffer.buffer(payload)))
          .toList();
      Future.all(sent).await();

      List<String> outcomes = sent.stream().map(f -> f.result().bodyAsJsonObject().getString("outcome")).sorted().toList();
      assertEquals(1, outcomes.stream().filter("started"::equals).count(), outcomes.toString());
      assertEquals(7, outcomes.stream().filter("duplicate"::equals).count(), outcomes.toString());
      Set<String> chains = sent.stream().map(f -> f.result().bodyAsJsonObject().getString("chain_id"))
          .collect(Collectors.toSet());
      assertEquals(1, chains.size(), "every answer names the one chain: " + chains);
    }
  }

  @Test
  void eventWithoutFlowIsAcknowledgedAndRecordedOnceAsUnhandled(TestRedis redis, @TempDir Path flows) {
    try (HttpFixture http = new HttpFixture(redis, flows)) {
      String eventId = "evt_" + Ids.newId();
      String payload = HttpFixture.event(eventId, "customer.created", fixture("customer")).encode();
      http.flowpay.node.queue().ensureGroup(http.flowpay.worker).await();
      long before = http.streamLength(http.flowpay.tasksKey());

      HttpResponse<Buffer> response = http.deliver(payload);
      HttpResponse<Buffer> again = http.deliver(payload);

      assertEquals(200, response.statusCode(), response.bodyAsString());
      assertEquals("unhandled", response.bodyAsJsonObject().getString("outcome"));
      assertEquals("duplicate", again.bodyAsJsonObject().getString("outcome"));
      assertEquals(before, http.streamLength(http.flowpay.tasksKey()), "nothing enqueued");
      JsonArray recorded = http.get("/v1/webhooks/unhandled?limit=1000").bodyAsJsonObject().getJsonArray("unhandled");
      List<JsonObject> mine = recorded.stream().map(JsonObject.class::cast)
          .filter(entry -> eventId.equals(entry.getString("event_id"))).toList();
      assertEquals(1, mine.size(), "recorded once: " + recorded.encode());
      assertEquals("customer.created", mine.get(0).getString("type"));
      assertTrue(mine.get(0).getString("reason").contains("on_customer_created"), mine.get(0).getString("reason"));
      assertEquals(eventId, mine.get(0).getJsonObject("event").getString("id"), "the whole event is kept");
    }
  }

  @Test
  void webhookCountersShowInMetrics(TestRedis redis, @TempDir Path flows) {
    write(flows, "on_payment_intent_succeeded", RECORDING_FLOW);
    try (HttpFixture http = new HttpFixture(redis, flows)) {
      String payload = HttpFixture.event("evt_" + Ids.newId(), "payment_intent.succeeded", intent()).encode();
      http.deliver(payload);
      http.deliver(payload);
      http.deliver(payload, "whsec_wrong_secret_here", HttpFixture.now());

      String metrics = http.get("/metrics").bodyAsString();

      assertTrue(metrics.contains("flowpay_webhook_events_total{outcome=\"started\",type=\"payment_intent.succeeded\"} 1.0"), metrics);
      assertTrue(metrics.contains("flowpay_webhook_events_total{outcome=\"duplicate\",type=\"payment_intent.succeeded\"} 1.0"), metrics);
      assertTrue(metrics.contains("flowpay_webhook_events_total{outcome=\"rejected\",type=\"unverified\"} 1.0"), metrics);
      assertTrue(metrics.contains("flowpay_runs_started_total{caller=\"webhook\",flow=\"on_payment_intent_succeeded\"} 1.0"), metrics);
    }
  }

  /** Stripe's example payment intent with an id of its own, so tests never share a context. */
  private static JsonObject intent() {
    return fixture("payment_intent").put("id", "pi_" + Ids.newId().substring(0, 24));
  }
}
