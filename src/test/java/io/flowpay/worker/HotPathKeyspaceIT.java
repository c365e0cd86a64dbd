package io.flowpay.worker;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
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
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a serving process asks Redis never walks the keyspace: no {@code SCAN} or {@code KEYS} while chains run
 * across several workers with calls, dispatches and timers, and while every gauge refreshes. A walk of the whole
 * keyspace costs in proportion to everything stored (every context, run record and chain of every worker), so on a
 * hot path or a periodic timer it grows with the data rather than the load: two processes once saturated Redis that
 * way. Its own Redis server, so the command counts are this test's alone.
 */
class HotPathKeyspaceIT {

  private static final List<String> KEYSPACE_WALKS = List.of("scan", "keys");

  @Test
  void servingChainsAndRefreshingGaugesNeverScansTheKeyspace(@TempDir Path flows) {
    write(flows, "pay", "stripe.paymentIntents.create({amount: input.amount, currency: 'eur'});");
    write(flows, "new_create_payment_intent_response",
        "ctx.set('pi', response.id); flow.dispatch('step', {n: 1}, {context: meta.context_id + '-next'});"
            + " flow.after(1, 'step', {n: 2});");
    write(flows, "step", "ctx.set('steps', (ctx.get('steps') || 0) + 1);");
    try (EmbeddedRedis server = EmbeddedRedis.start();
        FlowpayHarness flowpay = new FlowpayHarness(new TestRedis(server.url()), flows, null,
            options -> options.withWorkers(workersWith(options.workers().get(0))))) {
      flowpay.stripe.stubFor(post(urlPathEqualTo("/v1/payment_intents")).willReturn(aResponse().withStatus(200)
          .withHeader("Content-Type", "application/json").withBody(fixture("payment_intent").encode())));
      List<Task> tasks = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        tasks.add(flowpay.start("pay", "ctx-" + Ids.newId(), new JsonObject().put("amount", 100 + i)));
      }
      for (Task task : tasks) {
        assertEquals(4, flowpay.settle(task).size(), "pay, its response, the dispatched step and the timed step");
      }
      // Every periodic reader has run at least once: the process's stuck-chains gauge and each worker's backlog.
      awaitScraped(flowpay, "flowpay_chains_stuck ");
      for (String worker : flowpay.options.workers()) {
        awaitScraped(flowpay, "flowpay_worker_queue_length{worker=\"" + worker + "\"}");
      }

      Map<String, Long> walks = callsOf(flowpay, KEYSPACE_WALKS);
      assertEquals(Map.of(), walks, "commands that walk the whole keyspace, with their calls");
      assertTrue(callsOf(flowpay, List.of("evalsha")).getOrDefault("evalsha", 0L) > 0, "the counts are this test's");
    }
  }

  private static List<String> workersWith(String first) {
    String tag = Ids.newId().substring(0, 6);
    return List.of(first, "w-b" + tag, "w-c" + tag, "w-d" + tag);
  }

  /** Calls per command, from {@code INFO commandstats}, of the commands named that were called at all. */
  private static Map<String, Long> callsOf(FlowpayHarness flowpay, List<String> commands) {
    String info = flowpay.send(Request.cmd(Command.INFO).arg("commandstats")).toString();
    Map<String, Long> calls = new TreeMap<>();
    for (String line : info.split("\r?\n")) {
      for (String command : commands) {
        String prefix = "cmdstat_" + command + ":calls=";
        if (line.startsWith(prefix)) {
          calls.put(command, Long.parseLong(line.substring(prefix.length(), line.indexOf(',', prefix.length()))));
        }
      }
    }
    return calls;
  }

  /** Gauges refresh every few seconds: waits (bounded) until the scrape shows {@code line}. */
  private static void awaitScraped(FlowpayHarness flowpay, String line) {
    long deadline = System.currentTimeMillis() + 20_000;
    while (!flowpay.metrics.scrape().contains(line)) {
      assertTrue(System.currentTimeMillis() < deadline, "no " + line + " in the metrics within 20 s");
      flowpay.vertx.timer(50).await();
    }
  }
}
