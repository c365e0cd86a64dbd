package io.flowpay.cli;

import io.flowpay.cli.CliRun.Result;
import static io.flowpay.cli.CliRun.config;
import static io.flowpay.cli.CliRun.flowpay;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.request;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.flowpay.FlowpayHarness.fixture;
import static io.flowpay.FlowpayHarness.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.FlowpayHarness;
import io.flowpay.Main;
import io.flowpay.TestRedis;
import io.flowpay.flow.Ids;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code flowpay try}: a dry run against a context's state in Redis that prints what serve would commit and send. */
@ExtendWith(TestRedis.Extension.class)
class TryCommandIT {

  @TempDir
  Path dir;

  @Test
  void tryPrintsTheFormBodyServeSendsAndCommitsNothing(TestRedis redis) throws IOException {
    Path flows = dir.resolve("flows");
    write(flows, "signup", """
        const n = (ctx.get('n') || 0) + 1;
        ctx.set('n', n);
        stripe.customers.create({email: input.email, preferred_locales: [], metadata: {visit: n}},
          {onSuccess: 'done', onError: 'done'});
        flow.dispatch('done', {n: n});
        flow.after(50, 'done', {later: true});
        log.info('visit', n);
        """);
    write(flows, "done", "log.info('done');");
    try (FlowpayHarness flowpay = new FlowpayHarness(redis, flows)) {
      flowpay.stripe.stubFor(request("POST", urlPathEqualTo("/v1/customers"))
          .willReturn(okJson(fixture("customer").encode())));
      String context = "ctx-" + Ids.newId();
      String config = config(dir, redis, flows, flowpay.worker);
      flowpay.settle(flowpay.start("signup", context, new JsonObject().put("email", "a@b.c")));
      int sentBefore = sent(flowpay).size();

      Result tried = flowpay("try", "signup", "--input", "{\"email\": \"a@b.c\"}", "--context", context,
          "--worker", flowpay.worker, "--json", "--config", config);

      assertEquals(0, tried.code(), tried.out() + tried.err());
      assertEquals(sentBefore, sent(flowpay).size(), "try sends nothing");
      assertEquals(1, flowpay.state(context).getInteger("n"), "try commits nothing");
      JsonObject effects = new JsonObject(tried.out().strip());
      assertEquals(new JsonObject().put("n", 2), effects.getJsonObject("writes"));
      assertEquals(1, effects.getInteger("state_keys"));
      JsonObject call = effects.getJsonArray("calls").getJsonObject(0);
      assertEquals("POST", call.getString("method"));
      assertEquals("/v1/customers", call.getString("path"));
      assertEquals("done", call.getString("on_success"));
      assertEquals(new JsonArray().add(new JsonObject().put("flow", "done").put("input", new JsonObject().put("n", 2))
          .put("worker_id", flowpay.worker).put("context_id", context)), effects.getJsonArray("dispatches"));
      assertEquals(50L, effects.getJsonArray("timers").getJsonObject(0).getLong("delay_ms"));
      assertEquals("visit 2", effects.getJsonArray("logs").getJsonObject(0).getString("message"));

      var real = flowpay.start("signup", context, new JsonObject().put("email", "a@b.c"));
      flowpay.settle(real);
      List<String> bodies = sent(flowpay);
      // The same body but for the call's own id (metadata[flowpay_call]): a dry run is another task.
      assertEquals(call.getString("form").replace(call.getString("call_id"), Ids.callId(real.taskId(), 0)),
          bodies.get(bodies.size() - 1), "the body serve sent for the same state");
      assertTrue(call.getString("form").startsWith("email=a%40b.c&metadata[visit]=2&metadata[flowpay_worker]="),
          call.getString("form"));
    }
  }

  @Test
  void tryOfAFailingFlowSaysWhereAndExitsOne() {
    Path flows = dir.resolve("flows");
    write(flows, "broken", "ctx.set('a', 1);\nnull.x;\n");

    Result text = flowpay("try", "broken", "--config", emptyConfig(flows).toString());
    Result missing = flowpay("try", "nope", "--config", emptyConfig(flows).toString());

    assertEquals(1, text.code(), text.out() + text.err());
    assertTrue(text.out().contains("(a new, empty context); nothing is committed or sent"), text.out());
    assertTrue(text.out().contains("failed in "), text.out());
    assertTrue(text.out().contains("error    script_error: " + flows + "/broken.js:2: TypeError"), text.out());
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("flow 'nope' not found"), missing.err());
  }

  private static List<String> sent(FlowpayHarness flowpay) {
    return flowpay.stripe.findAll(anyRequestedFor(anyUrl())).stream().map(r -> r.getBodyAsString()).toList();
  }

  private Path emptyConfig(Path flows) {
    try {
      return Files.writeString(dir.resolve("empty.json"), new JsonObject().put("flowsDir", flows.toString()).encode());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
