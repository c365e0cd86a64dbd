package io.flowpay.http;

import com.stripe.net.Webhook;
import io.flowpay.FlowpayHarness;
import io.flowpay.TestRedis;
import io.flowpay.config.FlowpayOptions;
import io.flowpay.config.HttpOptions;
import io.flowpay.config.WebhookOptions;
import io.flowpay.flow.Caller;
import io.flowpay.flow.Task;
import io.flowpay.queue.Delivery;
import io.flowpay.queue.RedisTaskQueue;
import io.flowpay.metrics.FlowMetrics;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A running Flowpay node ({@link FlowpayHarness}: real Redis, a worker with a fresh id) with the
 * HTTP verticle deployed on a free port, and a WebClient that talks to it over real HTTP.
 */
final class HttpFixture implements AutoCloseable {

  static final String TOKEN = "test-token-0123456789abcdef";
  static final String SECRET = "whsec_test_0123456789abcdef";

  final FlowpayHarness flowpay;
  final FlowMetrics metrics = new FlowMetrics();
  final FlowpayOptions options;
  final WebClient client;
  final int port;
  private final List<String> tokens;

  HttpFixture(TestRedis redis, Path flows) {
    this(redis, flows, UnaryOperator.identity());
  }

  /** @param adjust changes to the options (with http on a free port and webhooks on) before the verticle starts */
  HttpFixture(TestRedis redis, Path flows, UnaryOperator<FlowpayOptions> adjust) {
    this(redis, flows, adjust, List.of(TOKEN));
  }

  /** @param tokens the {@code FLOWPAY_API_TOKENS} entries (tokens, with scopes or not) */
  HttpFixture(TestRedis redis, Path flows, UnaryOperator<FlowpayOptions> adjust, List<String> tokens) {
    this(redis, flows, UnaryOperator.identity(), adjust, tokens);
  }

  /** @param node changes to the options the node (its workers) runs with */
  HttpFixture(TestRedis redis, Path flows, UnaryOperator<FlowpayOptions> node, UnaryOperator<FlowpayOptions> adjust,
      List<String> tokens) {
    this.tokens = tokens;
    flowpay = new FlowpayHarness(redis, flows, null, node);
    options = adjust.apply(flowpay.options.withHttp(new HttpOptions().withPort(0))
        .withWebhooks(new WebhookOptions(true, null)));
    port = deploy(new HttpServices(flowpay.node.redis(), flowpay.node.queue(), flowpay.node::workers, metrics));
    client = WebClient.create(flowpay.vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
  }

  /** Deploys another HTTP verticle with the same options and the given services; returns its port. */
  int deploy(HttpServices services) {
    HttpVerticle verticle = new HttpVerticle(options, services, tokens, SECRET);
    flowpay.vertx.deployVerticle(verticle).await();
    return verticle.port();
  }

  HttpResponse<Buffer> post(String path, String body) {
    return client.post(path).putHeader("Authorization", "Bearer " + TOKEN).sendBuffer(Buffer.buffer(body)).await();
  }

  /** Sends without waiting for the answer. */
  io.vertx.core.Future<HttpResponse<Buffer>> post(String path, String body, String idempotencyKey) {
    return client.post(path).putHeader("Authorization", "Bearer " + TOKEN).putHeader("Idempotency-Key", idempotencyKey)
        .sendBuffer(Buffer.buffer(body));
  }

  HttpResponse<Buffer> get(String path) {
    return get(path, TOKEN);
  }

  HttpResponse<Buffer> get(String path, String token) {
    return client.get(path).putHeader("Authorization", "Bearer " + token).send().await();
  }

  HttpResponse<Buffer> post(String path, String body, String token, String idempotencyKey) {
    var request = client.post(path).putHeader("Authorization", "Bearer " + token);
    if (idempotencyKey != null) {
      request.putHeader("Idempotency-Key", idempotencyKey);
    }
    return request.sendBuffer(Buffer.buffer(body)).await();
  }

  /** Delivers {@code payload} to the webhook endpoint as Stripe would, signed at {@code timestamp} with {@code secret}. */
  HttpResponse<Buffer> deliver(String payload, String secret, long timestamp) {
    return client.post("/webhooks/stripe").putHeader("Stripe-Signature", signature(payload, secret, timestamp))
        .putHeader("Content-Type", "application/json; charset=utf-8").sendBuffer(Buffer.buffer(payload)).await();
  }

  HttpResponse<Buffer> deliver(String payload) {
    return deliver(payload, SECRET, now());
  }

  /** Stripe's scheme: {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.payload" with the secret>}. */
  static String signature(String payload, String secret, long timestamp) {
    try {
      return "t=" + timestamp + ",v1=" + Webhook.Util.computeHmacSha256(secret, timestamp + "." + payload);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static long now() {
    return System.currentTimeMillis() / 1000;
  }

  /** A Stripe event (the published example's shape) of {@code type} about {@code object}. */
  static JsonObject event(String id, String type, JsonObject object) {
    JsonObject event = FlowpayHarness.fixture("event");
    event.put("id", id).put("type", type).put("data", new JsonObject().put("object", object));
    return event;
  }

  static JsonObject error(HttpResponse<Buffer> response) {
    return response.bodyAsJsonObject().getJsonObject("error");
  }

  /** Starts a main flow on {@code worker} and parks it in its dead letters (reason {@code depth}), as a worker would. */
  Task park(String worker, String context) {
    RedisTaskQueue queue = flowpay.node.queue();
    Task task = Task.main("main", worker, context, Caller.CLI, new JsonObject());
    queue.start(task).await();
    Redis reader = flowpay.node.newReadClient(flowpay.options);
    try {
      RedisConnection connection = reader.connect().await();
      Delivery delivery = queue.read(connection, worker, 1, 1000).await().get(0);
      queue.deadLetter(delivery, "depth", "chain deeper than worker.maxDepth").await();
    } finally {
      reader.close();
    }
    return task;
  }

  long streamLength(String key) {
    return flowpay.node.redis().send(Request.cmd(Command.XLEN).arg(key)).await().toLong();
  }

  boolean exists(String key) {
    Response response = flowpay.node.redis().send(Request.cmd(Command.EXISTS).arg(key)).await();
    return response.toInteger() == 1;
  }

  @Override
  public void close() {
    flowpay.close();
  }
}
