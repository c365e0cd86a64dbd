package io.flowpay.http;

import static io.flowpay.FlowpayHarness.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.TestRedis;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random ids and parameters (several seeds; a failure names its seed and request) on every route:
 * whatever a client sends, the answer is a result or a JSON problem, never a 5xx.
 */
@ExtendWith(TestRedis.Extension.class)
class HttpFuzzIT {

  private final int[] answered = {0};
  private static final int REQUESTS_PER_ROUTE = 80;
  /** Pieces that reach keys, ranges and parsers: separators, brackets, numbers at the edges. */
  private static final List<String> PIECES = List.of(":", ":runs", "{w:", "}", "(", ")", "-", "+", "*", ".", "..", "/",
      "%", "%00", "%2F", "%20", "\\", "\"", "'", "ä", "☃", "\u0000", " ", "18446744073709551615",
      "18446744073709551616", "99999999999999999999", "-1", "0", "1-0", "(0-0", "$", "&", "=", "?", "#", ";", "\n",
      "ctx", "merchant-a", "w1", "main", "x".repeat(129), "[1]", "{}", "null");

  @ParameterizedTest
  @ValueSource(longs = {1, 7, 42, 2026, 31337})
  void noRouteAnswers5xxWhateverItIsSent(long seed, TestRedis redis, @TempDir Path flows) {
    write(flows, "main", "ctx.set('x', 1);");
    try (HttpFixture http = new HttpFixture(redis, flows); LogCapture log = new LogCapture()) {
      Random random = new Random(seed);
      List<String> failures = new ArrayList<>();
      answered[0] = 0;
      for (int i = 0; i < REQUESTS_PER_ROUTE; i++) {
        String a = path(random);
        String b = query(random);
        String c = query(random);
        check(failures, seed, "GET /v1/chains/" + a, get(http, "/v1/chains/" + a));
        check(failures, seed, "GET /v1/contexts/" + a + "?limit=" + b, get(http, "/v1/contexts/" + a + "?limit=" + b));
        check(failures, seed, "GET /v1/dead/" + a + "?from=" + b + "&limit=" + c,
            get(http, "/v1/dead/" + a + "?from=" + b + "&limit=" + c));
        check(failures, seed, "GET /v1/dead/" + http.flowpay.worker + "?from=" + b,
            get(http, "/v1/dead/" + http.flowpay.worker + "?from=" + b));
        check(failures, seed, "GET /v1/webhooks/unhandled?limit=" + b, get(http, "/v1/webhooks/unhandled?limit=" + b));
        String body = body(random);
        check(failures, seed, "POST /v1/runs " + body, http.client.post("/v1/runs")
            .putHeader("Authorization", "Bearer " + HttpFixture.TOKEN).sendBuffer(Buffer.buffer(body)));
      }
      assertEquals(List.of(), failures);
      assertEquals(List.of(), log.severe());
      assertTrue(answered[0] > REQUESTS_PER_ROUTE * 6 * 9 / 10, "only " + answered[0] + " requests reached the server");
    }
  }

  private static Future<HttpResponse<Buffer>> get(HttpFixture http, String uri) {
    return http.client.get(uri).putHeader("Authorization", "Bearer " + HttpFixture.TOKEN).send();
  }

  private void check(List<String> failures, long seed, String request, Future<HttpResponse<Buffer>> sent) {
    HttpResponse<Buffer> response;
    try {
      response = sent.await();
    } catch (RuntimeException refused) {
      // the client itself would not send it (not a valid URI): nothing reached the server
      return;
    }
    answered[0]++;
    boolean problem = response.statusCode() < 400 || isProblem(response);
    if (response.statusCode() >= 500 || !problem) {
      failures.add("seed " + seed + ": " + request + " -> " + response.statusCode() + " " + response.bodyAsString());
    }
  }

  private static boolean isProblem(HttpResponse<Buffer> response) {
    try {
      return response.bodyAsJsonObject().getJsonObject("error").getString("message") != null;
    } catch (RuntimeException notJson) {
      return false;
    }
  }

  /** A path segment: random pieces and characters, percent-encoded where a URI needs it. */
  private static String path(Random random) {
    return encode(text(random), random.nextBoolean());
  }

  private static String query(Random random) {
    return random.nextInt(4) == 0 ? String.valueOf(random.nextLong()) : encode(text(random), true);
  }

  private static String text(Random random) {
    StringBuilder text = new StringBuilder();
    int parts = 1 + random.nextInt(4);
    for (int i = 0; i < parts; i++) {
      text.append(random.nextBoolean() ? PIECES.get(random.nextInt(PIECES.size()))
          : (char) (random.nextBoolean() ? 32 + random.nextInt(95) : random.nextInt(0x3000)));
    }
    return text.toString();
  }

  /** Percent-encodes every byte but unreserved ones; with {@code loose}, keeps ':', '(', ')' and '+' as they are. */
  private static String encode(String text, boolean loose) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      boolean plain = Character.isLetterOrDigit(c) && c < 128 || "-._~".indexOf(c) >= 0
          || loose && ":()+".indexOf(c) >= 0;
      out.append(plain ? String.valueOf(c) : String.format("%%%02X", b & 0xff));
    }
    return out.length() == 0 ? "x" : out.toString();
  }

  private static String body(Random random) {
    switch (random.nextInt(4)) {
      case 0:
        return text(random);
      case 1:
        return new JsonObject().put("flow", random.nextBoolean() ? "main" : text(random)).put("context_id", text(random))
            .encode();
      case 2:
        return new JsonObject().put("flow", "main").put("worker_id", text(random)).put("input", text(random)).encode();
      default:
        return new JsonObject().put(text(random), text(random)).encode();
    }
  }
}
