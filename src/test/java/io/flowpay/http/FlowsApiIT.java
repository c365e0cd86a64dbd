package io.flowpay.http;

import static io.flowpay.FlowpayHarness.write;
import static io.flowpay.http.HttpHardeningIT.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.FlowpayHarness;
import io.flowpay.TestRedis;
import io.flowpay.flow.Ids;
import io.flowpay.flow.Task;
import io.flowpay.worker.FlowLibrary;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /v1/flows}: validate a text as {@code flowpay check} does, upload versions (checked first,
 * kept with history and audit), which shadow the file and run in every process, and restore one.
 * Uploaded versions live in the shared Redis, so each test uploads flows of names of its own.
 */
@ExtendWith(TestRedis.Extension.class)
class FlowsApiIT {

  private static final String ADMIN = HttpFixture.TOKEN;
  private static final String ADMIN_ENTRY = ADMIN + ";name=release-bot";
  private static final String READER = "merchant-a-reader-0123456789";
  private static final String WRITER = "merchant-a-writer-0123456789";

  /** A flow name no other test (or earlier run on the same Redis) uploaded. */
  private static String freshFlow() {
    return "up_" + Ids.newId().toLowerCase().replaceAll("[^a-z0-9]", "").substring(0, 12);
  }

  private static final class Api implements AutoCloseable {

    final HttpFixture http;
    final WebClient client;

    Api(TestRedis redis, Path flows, String writable) {
      http = new HttpFixture(redis, flows, UnaryOperator.identity(), List.of(ADMIN_ENTRY, READER + ";contexts=merchant-a",
          WRITER + ";contexts=merchant-a;flows=" + writable + ";allow=flows:write"));
      int port = http.deploy(HttpServices.of(http.flowpay.node, http.metrics));
      client = WebClient.create(http.flowpay.vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(port));
    }

    HttpResponse<Buffer> get(String path) {
      return client.get(path).putHeader("Authorization", "Bearer " + ADMIN).send().await();
    }

    HttpResponse<Buffer> send(String method, String path, String token, JsonObject body) {
      return client.request(io.vertx.core.http.HttpMethod.valueOf(method), path)
          .putHeader("Authorization", "Bearer " + token).putHeader("Content-Type", "application/json")
          .sendBuffer(Buffer.buffer(body.encode())).await();
    }

    HttpResponse<Buffer> put(String flow, String text) {
      return send("PUT", "/v1/flows/" + flow, ADMIN, new JsonObject().put("text", text));
    }

    /** Starts the flow over the API and returns the context state once its run is recorded. */
    JsonObject runState(String flow) {
      String context = "merchant-a:o-" + Ids.newId();
      HttpResponse<Buffer> started = send("POST", "/v1/runs", ADMIN, new JsonObject().put("flow", flow)
          .put("context_id", context));
      assertEquals(202, started.statusCode(), started.bodyAsString());
      http.flowpay.awaitRuns(started.bodyAsJsonObject().getString("chain_id"), 1);
      return http.flowpay.state(context);
    }

    @Override
    public void close() {
      http.close();
    }
  }

  @Test
  void validateAnswersWhatCheckFindsWithLineColumnAndFix(TestRedis redis, @TempDir Path flows) {
    try (Api api = new Api(redis, flows, "main")) {
      HttpResponse<Buffer> typo = api.send("POST", "/v1/flows/validate", READER, new JsonObject().put("name", "signup")
          .put("text", "var id = 1;\nstripe.customers.crate({email: 'a@b.c'});\n"));
      assertEquals(200, typo.statusCode(), typo.bodyAsString());
      JsonObject answer = typo.bodyAsJsonObject();
      assertFalse(answer.getBoolean("ok"));
      JsonObject finding = answer.getJsonArray("findings").getJsonObject(0);
      assertEquals("error", finding.getString("severity"));
      assertEquals(2, finding.getInteger("line"));
      assertEquals(18, finding.getInteger("column"), finding.encode());
      assertTrue(finding.getString("fix").contains("stripe.customers.create"), finding.encode());

      JsonObject broken = api.send("POST", "/v1/flows/validate", READER, new JsonObject().put("name", "signup")
          .put("text", "ctx.set('a', 1;\n")).bodyAsJsonObject();
      assertFalse(broken.getBoolean("ok"));
      assertTrue(broken.getJsonArray("findings").getJsonObject(0).getString("message").startsWith("SyntaxError"),
          broken.encode());

      JsonObject fine = api.send("POST", "/v1/flows/validate", READER, new JsonObject().put("name", "signup")
          .put("text", "ctx.set('a', 1);\n")).bodyAsJsonObject();
      assertTrue(fine.getBoolean("ok"), fine.encode());
      assertEquals(0, fine.getJsonArray("findings").size());
    }
  }

  @Test
  void anUploadedVersionShadowsTheFileAndRuns(TestRedis redis, @TempDir Path flows) {
    String flow = freshFlow();
    write(flows, flow, "ctx.set('from', 'file');");
    write(flows, flow + ".test", "test('a flow test, not a flow', t => t.ok(true));");
    try (Api api = new Api(redis, flows, "main")) {
      assertEquals(List.of(), api.get("/v1/flows").bodyAsJsonObject().getJsonArray("flows").stream()
          .map(JsonObject.class::cast).map(json -> json.getString("flow")).filter(name -> name.endsWith(".test")).toList(),
          "flow tests (*.test.js) are not listed as flows");
      JsonObject before = api.get("/v1/flows/" + flow).bodyAsJsonObject();
      assertEquals("file", before.getString("source"));
      assertEquals("file", api.runState(flow).getString("from"));

      String text = "ctx.set('from', 'upload');";
      HttpResponse<Buffer> put = api.put(flow, text);
      assertEquals(201, put.statusCode(), put.bodyAsString());
      assertEquals(1, put.bodyAsJsonObject().getInteger("version"));
      assertEquals(FlowLibrary.digest(text), put.bodyAsJsonObject().getString("digest"));

      JsonObject after = api.get("/v1/flows/" + flow).bodyAsJsonObject();
      assertEquals("uploaded", after.getString("source"));
      assertTrue(after.getBoolean("shadows_file"));
      assertEquals(text, after.getString("text"));
      JsonObject listed = api.get("/v1/flows").bodyAsJsonObject().getJsonArray("flows").stream()
          .map(JsonObject.class::cast).filter(json -> flow.equals(json.getString("flow"))).findFirst().orElseThrow();
      assertEquals("uploaded", listed.getString("source"));
      assertEquals(1, listed.getInteger("version"));
      assertEquals("ok", listed.getString("status"), "a token of every namespace sees each flow's health, as the console");
      assertEquals(1, listed.getInteger("version"));
      JsonObject scoped = api.send("GET", "/v1/flows", READER, new JsonObject()).bodyAsJsonObject().getJsonArray("flows")
          .stream().map(JsonObject.class::cast).filter(json -> flow.equals(json.getString("flow"))).findFirst().orElseThrow();
      assertEquals("uploaded", scoped.getString("source"));
      assertNull(scoped.getValue("status"), "a namespaced token does not see other namespaces' failures");
      assertEquals("upload", api.runState(flow).getString("from"));

      HttpResponse<Buffer> same = api.put(flow, text);
      assertEquals(200, same.statusCode(), "the same text again makes no new version");
      assertFalse(same.bodyAsJsonObject().getBoolean("changed"));
    }
  }

  @Test
  void aVersionWithErrorsIsRefusedWithItsFindingsAndNothingChanges(TestRedis redis, @TempDir Path flows) {
    String flow = freshFlow();
    write(flows, flow, "ctx.set('from', 'file');");
    try (Api api = new Api(redis, flows, "main")) {
      HttpResponse<Buffer> refused = api.put(flow, "flow.dispatch('refund_ordr', {});");
      assertProblem(refused, 422, "flow_invalid", "text");
      JsonObject finding = HttpFixture.error(refused).getJsonArray("findings").getJsonObject(0);
      assertEquals(1, finding.getInteger("line"));
      assertTrue(finding.getString("message").contains("refund_ordr"), finding.encode());

      JsonObject versions = api.get("/v1/flows/" + flow + "/versions").bodyAsJsonObject();
      assertEquals(0, versions.getJsonArray("versions").size());
      assertEquals("file", versions.getString("source"));
      assertEquals("file", api.runState(flow).getString("from"));
    }
  }

  @Test
  void restoreMakesAnEarlierVersionCurrentAndEveryChangeIsAudited(TestRedis redis, @TempDir Path flows) {
    String flow = freshFlow();
    try (Api api = new Api(redis, flows, "main")) {
      assertEquals(201, api.put(flow, "ctx.set('v', 1);").statusCode());
      assertEquals(201, api.put(flow, "ctx.set('v', 2);").statusCode());
      assertEquals(2, api.runState(flow).getInteger("v"));

      HttpResponse<Buffer> restored = api.send("POST", "/v1/flows/" + flow + "/restore", ADMIN,
          new JsonObject().put("version", 1));
      assertEquals(200, restored.statusCode(), restored.bodyAsString());
      assertEquals(1, api.runState(flow).getInteger("v"));
      assertProblem(api.send("POST", "/v1/flows/" + flow + "/restore", ADMIN, new JsonObject().put("version", 7)),
          404, "not_found", "version");

      JsonObject versions = api.get("/v1/flows/" + flow + "/versions").bodyAsJsonObject();
      assertEquals(1, versions.getInteger("current"));
      assertEquals(List.of(1, 2), versions.getJsonArray("versions").stream()
          .map(v -> ((JsonObject) v).getInteger("version")).toList());
      JsonArray audit = versions.getJsonArray("audit");
      assertEquals(List.of("restore", "upload", "upload"), audit.stream()
          .map(entry -> ((JsonObject) entry).getString("action")).toList());
      JsonObject last = audit.getJsonObject(0);
      assertEquals("release-bot", last.getString("by"));
      assertEquals(FlowLibrary.digest("ctx.set('v', 1);"), last.getString("digest"));
      assertFalse(audit.encode().contains(ADMIN), "the audit trail never holds a token");
    }
  }

  @Test
  void uploadNeedsTheFlowsWritePermissionOnAScopedToken(TestRedis redis, @TempDir Path flows) {
    String mine = freshFlow();
    String other = freshFlow();
    try (Api api = new Api(redis, flows, mine)) {
      JsonObject body = new JsonObject().put("text", "ctx.set('v', 1);");
      assertProblem(api.send("PUT", "/v1/flows/" + mine, READER, body), 403, "forbidden", "Authorization");
      assertProblem(api.send("PUT", "/v1/flows/" + other, WRITER, body), 403, "forbidden", "Authorization");
      HttpResponse<Buffer> allowed = api.send("PUT", "/v1/flows/" + mine, WRITER, body);
      assertEquals(201, allowed.statusCode(), allowed.bodyAsString());
      String by = allowed.bodyAsJsonObject().getString("by");
      assertTrue(by.startsWith("token sha256:"), by);
      assertFalse(by.contains(WRITER));
      assertEquals(404, api.get("/v1/flows/" + other).statusCode());
    }
  }

  /**
   * A webhook flow known only by its upload handles its events. Its name is fixed by the event type, so
   * the test removes what it uploaded from the shared Redis afterwards.
   */
  @Test
  void anUploadedWebhookFlowHandlesItsEvents(TestRedis redis, @TempDir Path flows) {
    String flow = "on_climate_order_delayed";
    try (Api api = new Api(redis, flows, "main")) {
      try {
        assertEquals(201, api.put(flow, "ctx.set('delayed', input.data.object.id);").statusCode());
        String context = "climate-" + Ids.newId();
        JsonObject order = FlowpayHarness.fixture("climate.order").put("metadata", new JsonObject()
            .put("flowpay_worker", api.http.flowpay.worker).put("flowpay_context", context));
        String payload = HttpFixture.event("evt_" + Ids.newId(), "climate.order.delayed", order).encode();
        HttpResponse<Buffer> delivered = api.client.post("/webhooks/stripe")
            .putHeader("Stripe-Signature", HttpFixture.signature(payload, HttpFixture.SECRET, HttpFixture.now()))
            .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(payload)).await();
        assertEquals("started", delivered.bodyAsJsonObject().getString("outcome"), delivered.bodyAsString());
        api.http.flowpay.awaitRuns(delivered.bodyAsJsonObject().getString("chain_id"), 1);
        assertEquals(order.getString("id"), api.http.flowpay.state(context).getString("delayed"));
      } finally {
        api.http.flowpay.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.HDEL)
            .arg(io.flowpay.queue.FlowStore.currentKey()).arg(flow));
        api.http.flowpay.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.DEL)
            .arg(io.flowpay.queue.FlowStore.versionsKey(flow)).arg(io.flowpay.queue.FlowStore.auditKey(flow)));
        api.http.flowpay.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.INCR)
            .arg(io.flowpay.queue.FlowStore.generationKey()));
      }
    }
  }

  @Test
  void anotherProcessRunsTheUploadedVersion(TestRedis redis, @TempDir Path flows) {
    String flow = freshFlow();
    write(flows, flow, "ctx.set('from', 'file');");
    try (Api api = new Api(redis, flows, "main"); FlowpayHarness other = new FlowpayHarness(redis, flows)) {
      assertEquals(201, api.put(flow, "ctx.set('from', 'upload');").statusCode());
      other.node.flows().refresh().await();  // what its timer does within FlowLibrary.DEFAULT_REFRESH_MS
      Task task = other.start(flow, "o-" + Ids.newId(), new JsonObject());
      other.awaitRuns(task.chainId(), 1);
      assertEquals("upload", other.state(task.contextId()).getString("from"));
    }
  }
}
