package io.flowpay.http;

import static io.flowpay.FlowpayHarness.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.TestRedis;
import io.flowpay.flow.Ids;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a hostile or broken client meets: no body is read before the token is checked, bodies and
 * connections are bounded, and no id in a path or query reaches Redis unchecked. None of it is a 500.
 */
@ExtendWith(TestRedis.Extension.class)
class HttpHardeningIT {

  private static final List<String> CONTENT_TYPES = List.of("application/x-www-form-urlencoded",
      "multipart/form-data; boundary=xyz", "application/json", "text/plain");

  @Test
  void anUnauthenticatedPostOfAnyTypeAndSizeIs401(TestRedis redis, @TempDir Path flows) {
    write(flows, "main", "ctx.set('x', 1);");
    try (HttpFixture http = new HttpFixture(redis, flows); LogCapture log = new LogCapture()) {
      for (String type : CONTENT_TYPES) {
        for (int size : List.of(0, 1_500, 60_000, 1_000_000)) {
          HttpRequest<Buffer> request = http.client.post("/v1/runs").putHeader("Content-Type", type);
          HttpResponse<Buffer> response = request.sendBuffer(Buffer.buffer(form(size))).await();
          assertProblem(response, 401, "unauthorized", "Authorization");
        }
      }
      assertEquals(List.of(), log.severe());
    }
  }

  @Test
  void anAuthenticatedFormOrGarbageBodyIs400AndAnOversizeOne413(TestRedis redis, @TempDir Path flows) {
    write(flows, "main", "ctx.set('x', 1);");
    try (HttpFixture http = new HttpFixture(redis, flows); LogCapture log = new LogCapture()) {
      for (String type : CONTENT_TYPES) {
        HttpResponse<Buffer> form = http.client.post("/v1/runs").putHeader("Authorization", "Bearer " + HttpFixture.TOKEN)
            .putHeader("Content-Type", type).sendBuffer(Buffer.buffer(form(2_000))).await();
        assertProblem(form, 400, "invalid_request", null);
        HttpResponse<Buffer> big = http.client.post("/v1/runs").putHeader("Authorization", "Bearer " + HttpFixture.TOKEN)
            .putHeader("Content-Type", type).sendBuffer(Buffer.buffer(form(100_000))).await();
        assertProblem(big, 413, "payload_too_large", null);
      }
      assertEquals(202, http.post("/v1/runs", "{\"flow\": \"main\"}").statusCode(), "JSON without a content type");
      assertEquals(List.of(), log.severe());
    }
  }

  @Test
  void aWebhookWithAGarbageOrOversizeBodyIs400Or413(TestRedis redis, @TempDir Path flows) {
    try (HttpFixture http = new HttpFixture(redis, flows); LogCapture log = new LogCapture()) {
      for (String type : CONTENT_TYPES) {
        String garbage = form(2_000);
        HttpResponse<Buffer> unsigned = http.client.post("/webhooks/stripe").putHeader("Content-Type", type)
            .putHeader("Stripe-Signature", "t=1,v1=00").sendBuffer(Buffer.buffer(garbage)).await();
        assertProblem(unsigned, 400, "invalid_signature", "Stripe-Signature");
        HttpResponse<Buffer> signed = http.client.post("/webhooks/stripe").putHeader("Content-Type", type)
            .putHeader("Stripe-Signature", HttpFixture.signature(garbage, HttpFixture.SECRET, HttpFixture.now()))
            .sendBuffer(Buffer.buffer(garbage)).await();
        assertProblem(signed, 400, "invalid_request", null);
        HttpResponse<Buffer> big = http.client.post("/webhooks/stripe").putHeader("Content-Type", type)
            .sendBuffer(Buffer.buffer(form(1_000_000))).await();
        assertProblem(big, 413, "payload_too_large", null);
      }
      assertEquals(List.of(), log.severe());
    }
  }

  @Test
  void aConnectionThatDribblesItsHeaderIsClosed(TestRedis redis, @TempDir Path flows) throws Exception {
    try (HttpFixture http = new HttpFixture(redis, flows,
        options -> options.withHttp(options.http().withTimeouts(500, 60_000)))) {
      assertClosedWhileDribbling(http, "");
      String first = "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n";
      String answers = assertClosedWhileDribbling(http, first);
      assertTrue(answers.startsWith("HTTP/1.1 200"), "the complete request before was answered: " + answers);
    }
  }

  /**
   * Sends {@code before}, then the next request's header one byte per 50 ms from a timer (never
   * idle, never complete: 400 bytes would take 20 s); reads until the server closes, within 10 s.
   * Returns what the server sent.
   */
  private static String assertClosedWhileDribbling(HttpFixture http, String before) throws IOException {
    byte[] header = ("GET /v1/chains/x HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + "a".repeat(400))
        .getBytes(StandardCharsets.US_ASCII);
    try (Socket socket = new Socket("127.0.0.1", http.port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(before.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      int[] sent = {0};
      long dribble = http.flowpay.vertx.setPeriodic(50, tick -> {
        try {
          if (sent[0] < header.length) {
            out.write(header[sent[0]++]);
            out.flush();
          }
        } catch (IOException closed) {
          sent[0] = header.length;
        }
      });
      try {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        try {
          for (int n = in.read(); n >= 0; n = in.read()) {
            read.write(n);
          }
        } catch (SocketTimeoutException stillOpen) {
          throw new AssertionError("the connection was still open after 10 s with " + sent[0] + " header bytes sent");
        } catch (IOException reset) {
          // closed by the server: a reset is a close too
        }
        assertTrue(sent[0] < header.length, "closed before the header could have been complete");
        return read.toString(StandardCharsets.US_ASCII);
      } finally {
        http.flowpay.vertx.cancelTimer(dribble);
      }
    }
  }

  @Test
  void badIdsAre400NamingTheParameter(TestRedis redis, @TempDir Path flows) {
    write(flows, "main", "ctx.set('x', 1);");
    try (HttpFixture http = new HttpFixture(redis, flows); LogCapture log = new LogCapture()) {
      String chain = http.post("/v1/runs", "{\"flow\": \"main\"}").bodyAsJsonObject().getString("chain_id");
      http.flowpay.awaitRuns(chain, 1);
      // A chain id is <id>~<home worker>; a home may hold ':' as worker ids may (its keys stay under that home's tag,
      // so "<chain>:runs" names no run stream), but nothing else: no second '~', no ':' before the home.
      for (String id : List.of(chain + "~x", "x:runs", "x:runs~w1", "a%20b", "%7Bw:x%7D", "x".repeat(129), "%C3%A4")) {
        assertProblem(http.get("/v1/chains/" + id), 400, "invalid_request", "id");
      }
      assertEquals(200, http.get("/v1/chains/" + chain).statusCode());
      for (String id : List.of("a%20b", "x".repeat(129), "%C3%A4", "a%00b", "%7Bw:x%7D")) {
        assertProblem(http.get("/v1/contexts/" + id), 400, "invalid_request", "id");
        assertProblem(http.get("/v1/dead/" + id), 400, "invalid_request", "worker");
      }
      String worker = http.flowpay.worker;
      for (String from : List.of("yesterday", "99999999999999999999", "18446744073709551616", "1-18446744073709551616",
          "(18446744073709551615-18446744073709551615", "(18446744073709551615", "1-", "-1", "((1", "(", "", "1-2-3",
          "%2B", "%20")) {
        assertProblem(http.get("/v1/dead/" + worker + "?from=" + from), 400, "invalid_request", "from");
      }
      for (String from : List.of("-", "0", "18446744073709551615", "18446744073709551615-18446744073709551615",
          "(1700000000000-0", "(18446744073709551615-0")) {
        assertEquals(200, http.get("/v1/dead/" + worker + "?from=" + from).statusCode(), from);
      }
      assertEquals(List.of(), log.severe());
    }
  }

  @Test
  void theDisabledFlowIsRefused409AndNothingStarts(TestRedis redis, @TempDir Path flows) {
    write(flows, "main", "ctx.set('x', 1);");
    try (HttpFixture http = new HttpFixture(redis, flows)) {
      String flow = "main";
      http.flowpay.node.redis().send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.HSET)
          .arg(io.flowpay.queue.RedisKeys.flow(http.flowpay.worker, flow)).arg("disabled_at").arg(System.currentTimeMillis())).await();
      try {
        long before = http.streamLength(http.flowpay.tasksKey());
        String context = "order-" + Ids.newId();

        HttpResponse<Buffer> refused = http.post("/v1/runs", new JsonObject().put("flow", flow)
            .put("context_id", context).encode());
        HttpResponse<Buffer> refusedWithKey = http.post("/v1/runs", new JsonObject().put("flow", flow).encode(),
            Ids.newId()).await();

        assertProblem(refused, 409, "flow_disabled", "flow");
        assertTrue(HttpFixture.error(refused).getString("message").contains("flowpay flow enable main"),
            refused.bodyAsString());
        assertProblem(refusedWithKey, 409, "flow_disabled", "flow");
        assertEquals(before, http.streamLength(http.flowpay.tasksKey()), "no task was queued");
        assertProblem(http.get("/v1/contexts/" + context), 404, "not_found", "id");
        http.flowpay.node.queue().enableFlow(flow).await();
        assertEquals(202, http.post("/v1/runs", new JsonObject().put("flow", flow).encode()).statusCode());
      } finally {
        http.flowpay.node.queue().enableFlow(flow).await();
      }
    }
  }

  @Test
  void aStateTooDeepToWriteIsAnsweredAtOnceNotByTheRequestTimeout(TestRedis redis, @TempDir Path flows) {
    try (HttpFixture http = new HttpFixture(redis, flows)) {
      String context = "deep-" + Ids.newId();
      String deep = "[".repeat(999) + "]".repeat(999);
      http.flowpay.node.redis().send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.HSET)
          .arg(io.flowpay.queue.RedisKeys.context(http.flowpay.worker, context)).arg("nested").arg(deep)).await();

      HttpResponse<Buffer> response = http.get("/v1/contexts/" + context);

      // not the request timeout's 503 fifteen seconds later
      assertProblem(response, 500, "internal", null);
    }
  }

  /** A form-encoded body of {@code size} bytes. */
  static String form(int size) {
    StringBuilder body = new StringBuilder();
    for (int i = 0; body.length() < size; i++) {
      body.append(i == 0 ? "" : "&").append("field").append(i).append('=').append("v".repeat(40));
    }
    return body.substring(0, size);
  }

  static void assertProblem(HttpResponse<Buffer> response, int status, String type, String field) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    assertTrue(response.getHeader("Content-Type").startsWith("application/json"), response.getHeader("Content-Type"));
    JsonObject error = HttpFixture.error(response);
    assertEquals(type, error.getString("type"), error.encode());
    assertEquals(field, error.getString("field"), error.encode());
    assertTrue(!error.getString("message").isBlank());
  }
}
