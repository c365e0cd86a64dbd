package io.flowpay.worker;

import static io.flowpay.FlowpayHarness.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.FlowpayHarness;
import io.flowpay.TestRedis;
import io.flowpay.flow.Ids;
import io.flowpay.flow.Task;
import io.flowpay.stripe.FaultyStripe;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A storm of faults at Stripe: for a share of requests the stand-in does the work and then answers
 * 500, drops the connection or answers after the client's timeout, or fails before the work; it
 * keeps Stripe's idempotency contract (the first result per key is replayed, a 500 included). Every
 * chain (create, then confirm) must end with its context knowing exactly what Stripe did: every
 * intent created and every payment taken is known as such, no false failure, one response or error
 * flow per call, one intent per order.
 */
@ExtendWith(TestRedis.Extension.class)
class FaultStormIT {

  private static final int CHAINS = 40;

  @TempDir
  Path flows;

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3})
  void everyOutcomeAtStripeIsKnownToItsFlowThroughAFaultStorm(long seed, TestRedis redis) {
    long runSeed = Long.getLong("flowpay.faultSeed", seed * 7919 + System.nanoTime() % 1000);
    write(flows, "order", "stripe.paymentIntents.create({amount: input.amount, currency: 'eur'});");
    write(flows, "new_create_payment_intent_response", "ctx.set('intent', response.id);"
        + " ctx.set('created_by', request.reconciled || 'answer');"
        + " stripe.paymentIntents.confirm(response.id, {payment_method: 'pm_card_visa'});");
    write(flows, "new_create_payment_intent_error", "ctx.set('create_failed', {unknown: error.outcome_unknown,"
        + " message: error.error.message});");
    write(flows, "new_confirm_payment_intent_response", "ctx.set('status', response.status);");
    write(flows, "new_confirm_payment_intent_error", "ctx.set('confirm_failed', {unknown: error.outcome_unknown,"
        + " message: error.error.message});");
    Vertx standIn = Vertx.vertx();
    FaultyStripe stripe = new FaultyStripe(standIn, runSeed, 0.3, 700);
    try (FlowpayHarness storm = new FlowpayHarness(redis, flows, stripe.baseUrl(), options -> options.withStripe(
        options.stripe().withTimeoutMs(400).withRetries(2, 20, 50, 5_000).withReconcile(60_000, 20, 200)))) {
      long started = System.nanoTime();
      List<Task> orders = new ArrayList<>();
      for (int i = 0; i < CHAINS; i++) {
        orders.add(storm.start("order", "order-" + Ids.newId().substring(0, 10), new JsonObject().put("amount", 100 + i)));
      }
      Map<String, List<JsonObject>> runs = new HashMap<>();
      orders.forEach(order -> runs.put(order.contextId(), storm.settle(order)));
      long settledMs = (System.nanoTime() - started) / 1_000_000;

      int mismatches = 0;
      Map<String, List<JsonObject>> created = stripe.created();
      Set<String> confirmed = Set.copyOf(stripe.confirmed());
      for (Task order : orders) {
        String context = order.contextId();
        JsonObject state = storm.state(context);
        List<JsonObject> intents = created.getOrDefault(context, List.of());
        assertTrue(intents.size() <= 1, "one intent per order, got " + intents + " for " + context);
        mismatches += known(state, intents, confirmed) ? 0 : 1;
        List<String> expected = intents.isEmpty() ? List.of("order", "new_create_payment_intent_error")
            : List.of("order", "new_create_payment_intent_response", confirmed.contains(intentId(intents))
                ? "new_confirm_payment_intent_response" : "new_confirm_payment_intent_error");
        assertEquals(expected, flowsOf(runs.get(context)), "one response or error flow per call in " + context
            + ": " + state);
      }
      int dead = storm.queue.deadLetters(storm.worker, "-", 100).await().size();
      System.out.printf("fault storm (seed %d): %d chains, faults %s over %d requests, %d mismatches,"
              + " %d dead letters, all settled in %d ms%n", runSeed, CHAINS, stripe.faults(), stripe.requests(),
          mismatches, dead, settledMs);
      assertEquals(0, mismatches, "contexts whose state disagrees with what Stripe did");
      assertEquals(0, dead);
      assertTrue(stripe.faults().values().stream().mapToInt(Integer::intValue).sum() > 0, "the storm injected faults");
    } finally {
      stripe.close();
      standIn.close().await();
    }
  }

  /** The context knows what Stripe did: the intent it created, and that it took the payment. */
  private static boolean known(JsonObject state, List<JsonObject> intents, Set<String> confirmed) {
    if (intents.isEmpty()) {
      return state.getString("intent") == null;
    }
    String id = intentId(intents);
    boolean paid = confirmed.contains(id);
    return id.equals(state.getString("intent")) && !state.containsKey("create_failed")
        && (paid ? "succeeded".equals(state.getString("status")) && !state.containsKey("confirm_failed")
            : state.getString("status") == null);
  }

  private static String intentId(List<JsonObject> intents) {
    return intents.isEmpty() ? null : intents.get(0).getString("id");
  }

  private static List<String> flowsOf(List<JsonObject> runs) {
    return runs.stream().map(run -> run.getString("flow")).toList();
  }
}
