package io.flowpay.cli;

import io.flowpay.cli.CliRun.Result;
import static io.flowpay.cli.CliRun.flowpay;
import static io.flowpay.FlowpayHarness.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.Main;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code flowpay serve --local} as a newcomer runs it: one command, then curl and {@code webhook send} against it. */
class LocalServeIT {

  private static final Pattern PORT = Pattern.compile("HTTP API on http://127\\.0\\.0\\.1:(\\d+)");
  private static final Pattern TOKEN = Pattern.compile("API token \\(shown once[^:]*: ([0-9a-f]{64})");
  private static final Pattern SECRET = Pattern.compile("webhook signing secret: (whsec_[0-9a-f]+)");
  private static final Pattern REDIS = Pattern.compile("Redis embedded at (redis://[0-9.:]+)");

  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void localServiceRunsAChainFromCurlAnEventFromWebhookSendAndKeepsStateAcrossRestarts() throws Exception {
    Path flows = dir.resolve("flows");
    write(flows, "pay", "ctx.set('amount', input.amount); stripe.paymentIntents.create({amount: input.amount,"
        + " currency: 'usd'});");
    write(flows, "new_create_payment_intent_response", "ctx.set('payment_intent', response.id);");
    write(flows, "on_payment_intent_succeeded", "ctx.set('event', input.type); ctx.set('event_object', input.data.object.object);");
    Path config = Files.writeString(dir.resolve("flowpay.json"),
        new JsonObject().put("flowsDir", flows.toString()).put("workers", List.of("w1")).encode());
    int redisPort = freePort();

    try (Serving first = serve(config, redisPort)) {
      JsonObject started = post(first, "/v1/runs", new JsonObject().put("flow", "pay")
          .put("input", new JsonObject().put("amount", 2000)).put("context_id", "order-1").encode());
      Result chain = flowpay(Map.of("REDIS_URL", first.redisUrl), "chain", started.getString("chain_id"), "--follow",
          "--json");
      assertEquals(0, chain.code(), chain.out() + chain.err());
      assertTrue(chain.out().contains("\"flow\":\"new_create_payment_intent_response\""), chain.out());
      first.out.await(Pattern.compile("flowpay: status: runs ok [1-9]\\d*, failed 0; calls in flight \\d+; queued \\d+,"
          + " running \\d+; lag \\d+\\.\\ds; dead letters 0"), 10_000);

      Result sent = flowpay(Map.of("STRIPE_WEBHOOK_SECRET", first.secret), "webhook", "send", "payment_intent.succeeded",
          "--context", "order-1", "--url", "http://127.0.0.1:" + first.port + "/webhooks/stripe");
      assertEquals(0, sent.code(), sent.out() + sent.err());
      JsonObject answer = new JsonObject(sent.out().substring(sent.out().indexOf('{')));
      assertEquals("started", answer.getString("outcome"), sent.out());
      Result eventChain = flowpay(Map.of("REDIS_URL", first.redisUrl), "chain", answer.getString("chain_id"), "--follow");
      assertEquals(0, eventChain.code(), eventChain.out() + eventChain.err());
    }

    try (Serving second = serve(config, redisPort)) {
      JsonObject context = get(second, "/v1/contexts/order-1");
      JsonObject state = context.getJsonObject("state");
      assertEquals(2000, state.getInteger("amount"));
      assertTrue(state.getString("payment_intent").startsWith("pi_"), state.encode());
      assertEquals("payment_intent.succeeded", state.getString("event"));
      assertEquals("payment_intent", state.getString("event_object"));
    }
  }

  @Test
  void webhookSendWithoutASecretSaysWhereToGetOne() {
    Result result = flowpay(Map.of(), "webhook", "send", "payment_intent.succeeded", "--context", "order-1");
    assertEquals(2, result.code());
    assertTrue(result.err().contains("pass --secret whsec_... or export STRIPE_WEBHOOK_SECRET"), result.err());
  }

  @Test
  void embeddedRedisPortInUseIsOneClearLine() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      Result result = flowpay(Map.of(), "serve", "--local", "--port", "0", "--redis-port", String.valueOf(taken.getLocalPort()),
          "--data", dir.resolve("data").toString());
      assertEquals(1, result.code());
      assertEquals("flowpay: port " + taken.getLocalPort() + " for the embedded Redis is in use (another 'serve --local'?):"
          + " stop that, or pick another with --redis-port", result.err().strip());
    }
  }

  /** A {@code serve --local} running in a thread of its own, stopped as Ctrl-C stops it. */
  private final class Serving implements AutoCloseable {
    final ServeCommand command = new ServeCommand();
    final LineWatch out = new LineWatch();
    final StringWriter err = new StringWriter();
    final Thread thread;
    int code = -1;
    int port;
    String token;
    String secret;
    String redisUrl;

    Serving(String... args) {
      CommandLine line = new CommandLine(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
      thread = new Thread(() -> code = line.execute(args), "serve-local");
      thread.start();
    }

    @Override
    public void close() throws InterruptedException {
      command.stopRequested.countDown();
      thread.join(60_000);
      assertEquals(0, code, out + "\n" + err);
      out.await(Pattern.compile("flowpay: stopped \\(runs ok \\d+, failed 0 since start\\)"), 1_000);
    }
  }

  private Serving serve(Path config, int redisPort) throws InterruptedException {
    Serving serving = new Serving("--local", "--config", config.toString(), "--port", "0",
        "--redis-port", String.valueOf(redisPort), "--data", dir.resolve("data").toString(), "--status-every", "1");
    try {
      serving.port = Integer.parseInt(serving.out.await(PORT, 60_000));
    } catch (AssertionError none) {
      throw new AssertionError(none.getMessage() + "\nerr:\n" + serving.err, none);
    }
    serving.token = serving.out.await(TOKEN, 5_000);
    serving.secret = serving.out.await(SECRET, 5_000);
    serving.redisUrl = serving.out.await(REDIS, 5_000);
    return serving;
  }

  private JsonObject post(Serving serving, String path, String body) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + serving.port + path))
        .header("Authorization", "Bearer " + serving.token).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(202, answer.statusCode(), answer.body());
    return new JsonObject(answer.body());
  }

  private JsonObject get(Serving serving, String path) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + serving.port + path))
        .header("Authorization", "Bearer " + serving.token).build();
    HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(200, answer.statusCode(), answer.body());
    return new JsonObject(answer.body());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
