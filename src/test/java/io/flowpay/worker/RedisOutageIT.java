package io.flowpay.worker;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.flowpay.FlowpayHarness.fixture;
import static io.flowpay.FlowpayHarness.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.FlowpayHarness;
import io.flowpay.TestRedis;
import io.flowpay.flow.Ids;
import io.flowpay.flow.Task;
import io.flowpay.standin.EmbeddedRedis;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis goes away in the middle of a run: the redis-server process (append-only file on) is
 * stopped for a second and started again while chains are running and calls are in flight.
 */
class RedisOutageIT {

  private static final int CHAINS = 30;
  private static final int ANSWER_MS = 300;
  private static final int OUTAGE_MS = 1_000;

  @Test
  void chainsSettleAfterRedisRestartsMidRunWithNothingLostOrDoubled(@TempDir Path flows, @TempDir Path data) {
    write(flows, "pay", "stripe.paymentIntents.create({amount: input.amount, currency: 'eur'});");
    write(flows, "new_create_payment_intent_response",
        "ctx.set('answers', (ctx.get('answers') || 0) + 1); ctx.set('pi', response.id);");
    try (EmbeddedRedis server = EmbeddedRedis.persistent(data);
        FlowpayHarness flowpay = new FlowpayHarness(new TestRedis(server.url()), flows)) {
      flowpay.stripe.stubFor(post(urlPathEqualTo("/v1/payment_intents")).willReturn(aResponse().withStatus(200)
          .withHeader("Content-Type", "application/json").withFixedDelay(ANSWER_MS)
          .withBody(fixture("payment_intent").encode())));
      List<Task> tasks = new ArrayList<>();
      for (int i = 0; i < CHAINS; i++) {
        tasks.add(flowpay.start("pay", "ctx-" + Ids.newId(), new JsonObject().put("amount", 100 + i)));
      }
      flowpay.awaitStripeRequests(1);

      server.stop();
      int sentBeforeOutage = flowpay.stripe.findAll(postRequestedFor(urlPathEqualTo("/v1/payment_intents"))).size();
      // The outage lasts longer than Stripe takes to answer: those calls' answers arrive while Redis is down.
      flowpay.vertx.timer(OUTAGE_MS).await();
      server.launch();

      for (Task task : tasks) {
        List<JsonObject> runs = flowpay.settle(task);
        assertEquals(List.of("pay:ok", "new_create_payment_intent_response:ok"),
            runs.stream().map(run -> run.getString("flow") + ":" + run.getString("status")).toList(), task.chainId());
        assertEquals(1, flowpay.state(task.contextId()).getInteger("answers"), "one answer per call");
      }
      var requests = flowpay.stripe.findAll(postRequestedFor(urlPathEqualTo("/v1/payment_intents")));
      var keys = requests.stream().map(request -> request.getHeader("Idempotency-Key")).collect(Collectors.toSet());
      assertEquals(CHAINS, keys.size(), "one idempotency key per logical call");
      assertTrue(sentBeforeOutage >= 1, "at least one call was in flight when Redis went away");
    }
  }
}
