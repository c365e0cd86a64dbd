package io.flowpay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.failure.FlowpayFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlowpayOptionsTest {

  @TempDir
  Path dir;

  @Test
  void shippedConfigLoads() {
    FlowpayOptions options = FlowpayOptions.load(Path.of("conf/flowpay.json"), Map.of());
    assertEquals(List.of("w1"), options.workers());
    assertEquals(Path.of("flows"), options.flowsDir());
    assertEquals(StripeOptions.DEFAULT_API_VERSION, options.stripe().apiVersion(),
        "the shipped config pins the version stripe-java is generated for");
  }

  /**
   * Every key a section writes is one a config file may hold: what {@code toJson} gives, written to a file,
   * loads back as the same options in every Redis mode, with webhooks and schedules (a key a section reads
   * but the file check refuses, such as {@code redis.endpoints} once was, fails here).
   */
  @Test
  void everyKeyTheOptionsWriteLoadsBackFromAFile() throws IOException {
    FlowpayOptions base = new FlowpayOptions().withHttp(new HttpOptions().withPort(8080))
        .withWebhooks(new WebhookOptions(new io.vertx.core.json.JsonObject()))
        .withSchedules(ScheduleOptions.list(new io.vertx.core.json.JsonArray().add(new io.vertx.core.json.JsonObject()
            .put("name", "nightly").put("cron", "0 3 * * *").put("flow", "main")), List.of("w1")));
    for (RedisOptions redis : List.of(new RedisOptions(), new RedisOptions().withSentinels(List.of("redis://s1:26379"),
        "mymaster").withWait(1, 500), new RedisOptions().withCluster(List.of("redis://n1:6379", "redis://n2:6379")))) {
      FlowpayOptions options = base.withRedis(redis);
      assertEquals(options, FlowpayOptions.load(file(options.toJson().encode()), Map.of()), options.toJson().encode());
    }
  }

  @Test
  void missingSectionsTakeDefaults() throws IOException {
    FlowpayOptions options = FlowpayOptions.load(file("{}"), Map.of());
    assertEquals(new FlowpayOptions(), options);
  }

  @Test
  void redisUrlFromEnvironmentWinsOverFile() throws IOException {
    FlowpayOptions options = FlowpayOptions.load(file("{\"redis\": {\"url\": \"redis://file:6379\"}}"),
        Map.of("REDIS_URL", "redis://env:6380"));
    assertEquals("redis://env:6380", options.redis().url());
  }

  @Test
  void missingFileSaysWhatToPass() {
    String message = failure(dir.resolve("nope.json"));
    assertTrue(message.contains("nope.json") && message.contains("--config"), message);
  }

  @Test
  void malformedJsonNamesTheFile() throws IOException {
    String message = failure(file("{\"workers\": [\"w1\",}"));
    assertTrue(message.startsWith(dir.resolve("flowpay.json") + ": is not a JSON object"), message);
  }

  @Test
  void misspeltKeyIsNamed() throws IOException {
    String message = failure(file("{\"stripe\": {\"apiVersoin\": \"2026-07-29.dahlia\"}}"));
    assertTrue(message.contains("unknown key 'stripe.apiVersoin'") && message.contains("apiVersion"), message);
  }

  @Test
  void wrongTypeNamesKeyAndRange() throws IOException {
    String message = failure(file("{\"stripe\": {\"timeoutMs\": \"30s\"}}"));
    assertTrue(message.contains("stripe.timeoutMs must be a whole number from 1 to 600000 (got 30s)"), message);
    String retention = failure(file("{\"redis\": {\"chainRetentionDays\": 0}}"));
    assertTrue(retention.contains("redis.chainRetentionDays must be a whole number from 1 to 3650 (got 0)"), retention);
  }

  @Test
  void badRedisUrlIsNamedWithoutItsPassword() throws IOException {
    String message = failure(file("{\"redis\": {\"url\": \"http://:hunter2@host:6379\"}}"));
    assertTrue(message.contains("redis.url must look like"), message);
    assertTrue(!message.contains("hunter2"), message);
  }

  @Test
  void emptyWorkerListIsRefused() throws IOException {
    String message = failure(file("{\"workers\": []}"));
    assertTrue(message.contains("workers must name at least one worker id"), message);
  }

  @Test
  void stripeKeyMustLookLikeOne() {
    FlowpayFailure failure = assertThrows(FlowpayFailure.class,
        () -> new Secrets(Map.of("STRIPE_SECRET_KEY", "pk_test_0123456789abcdefghij")).stripeKey());
    assertTrue(failure.getMessage().contains("sk_test_"), failure.getMessage());
    assertTrue(!failure.getMessage().contains("0123456789abcdefghij"), "the key itself is never printed");
  }

  private Path file(String json) throws IOException {
    return Files.writeString(dir.resolve("flowpay.json"), json);
  }

  private static String failure(Path file) {
    FlowpayFailure failure = assertThrows(FlowpayFailure.class, () -> FlowpayOptions.load(file, Map.of()));
    assertEquals(FlowpayFailure.Kind.CONFIG_INVALID, failure.kind());
    return failure.getMessage();
  }
}
