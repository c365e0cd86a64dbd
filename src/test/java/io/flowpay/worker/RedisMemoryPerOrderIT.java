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
import io.flowpay.queue.InfoLines;
import io.flowpay.standin.EmbeddedRedis;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one order leaves in Redis, as an operator sizing Redis sees it: orders paid each in its own context (a main
 * run, its Stripe call, the response run), and the growth of Redis's {@code used_memory} per order once all are
 * settled. What stays is the context (its state and run records, kept) and the chain (its counters and run records,
 * kept {@code redis.chainRetentionDays}). A Redis with the default {@code stream-node-max-bytes} (4096) holds a 4 KB
 * node for each of the two run streams whatever they hold, about 9.5 KB per order; the embedded Redis, set as the
 * README advises, about half. Its own Redis server, so the memory is this test's alone.
 */
class RedisMemoryPerOrderIT {

  private static final int ORDERS = 600;
  /**
   * Per order at {@code stream-node-max-bytes 2048}: 5,142-5,631 bytes over eight runs, two of them on a loaded
   * machine; at 4096, 9,492.
   */
  private static final long MAX_BYTES_PER_ORDER = 7_000;

  @Test
  void aPaidOrderLeavesAboutFiveKilobytesInRedis(@TempDir Path flows) {
    write(flows, "pay", "ctx.set('order', input.order); stripe.paymentIntents.create({amount: input.amount,"
        + " currency: 'eur', metadata: {order_id: input.order}});");
    write(flows, "new_create_payment_intent_response", "ctx.set('payment_intent', response.id);"
        + " ctx.set('status', response.status);");
    try (EmbeddedRedis server = EmbeddedRedis.start();
        FlowpayHarness flowpay = new FlowpayHarness(new TestRedis(server.url()), flows)) {
      flowpay.stripe.stubFor(post(urlPathEqualTo("/v1/payment_intents")).willReturn(aResponse().withStatus(200)
          .withHeader("Content-Type", "application/json").withBody(fixture("payment_intent").encode())));
      pay(flowpay, 20);  // the worker's own keys (stream, group, outbox, lease) and Lua's script cache exist first
      long before = usedMemory(flowpay);

      pay(flowpay, ORDERS);

      long perOrder = (usedMemory(flowpay) - before) / ORDERS;
      assertTrue(perOrder > 1_000, "an order leaves its context and chain (" + perOrder + " bytes measured)");
      assertTrue(perOrder <= MAX_BYTES_PER_ORDER, "bytes of Redis memory per paid order: " + perOrder + " (at most "
          + MAX_BYTES_PER_ORDER + "; is the embedded Redis's stream-node-max-bytes still 2048?)");
    }
  }

  /** Pays {@code orders} orders, each in a new context, and waits until every chain is settled. */
  private static void pay(FlowpayHarness flowpay, int orders) {
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < orders; i++) {
      String order = "order-" + Ids.newId();
      tasks.add(flowpay.start("pay", order, new JsonObject().put("order", order).put("amount", 1000 + i)));
    }
    for (Task task : tasks) {
      assertEquals(2, flowpay.settle(task).size(), "the main run and the response run");
    }
  }

  /**
   * Redis's {@code used_memory} less its clients' buffers ({@code mem_clients_normal}): what is stored. A group commit
   * of many runs grows its connection's query buffer, which Redis trims only later, now and then.
   */
  private static long usedMemory(FlowpayHarness flowpay) {
    String info = flowpay.send(Request.cmd(Command.INFO).arg("memory")).toString();
    return field(info, "used_memory") - field(info, "mem_clients_normal");
  }

  private static long field(String info, String name) {
    String value = InfoLines.value(info, name);
    if (value == null) {
      throw new AssertionError("no " + name + " in INFO memory: " + info);
    }
    return Long.parseLong(value);
  }
}
