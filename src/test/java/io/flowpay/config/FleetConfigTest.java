package io.flowpay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.failure.FlowpayFailure;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code redis.mode}, sentinels, {@code WAIT} and {@code stripe.rateLimit} as read from a config. */
class FleetConfigTest {

  @Test
  void standaloneIsTheDefaultAndWaitIsOff() {
    RedisOptions redis = new FlowpayOptions(new JsonObject()).redis();
    assertEquals(RedisOptions.Mode.STANDALONE, redis.mode());
    assertEquals(0, redis.waitReplicas());
  }

  @Test
  void sentinelModeReadsEndpointsMasterNameAndWait() {
    RedisOptions redis = options("{\"redis\": {\"mode\": \"sentinel\", \"masterName\": \"pay\", \"sentinels\":"
        + " [\"redis://10.0.0.5:26379\", \"redis://10.0.0.6:26379\"], \"waitReplicas\": 1, \"waitTimeoutMs\": 250}}")
        .redis();
    assertEquals(RedisOptions.Mode.SENTINEL, redis.mode());
    assertEquals(List.of("redis://10.0.0.5:26379", "redis://10.0.0.6:26379"), redis.sentinels());
    assertEquals("pay", redis.masterName());
    assertEquals(1, redis.waitReplicas());
    assertEquals(250, redis.waitTimeoutMs());
    assertEquals(redis, new RedisOptions(redis.toJson()), "toJson reads back as the same options");
  }

  @Test
  void clusterModeReadsItsSeedNodes() {
    RedisOptions redis = options("{\"redis\": {\"mode\": \"cluster\", \"endpoints\":"
        + " [\"redis://10.0.0.5:6379\", \"redis://10.0.0.6:6379\"]}}").redis();
    assertEquals(RedisOptions.Mode.CLUSTER, redis.mode());
    assertEquals(List.of("redis://10.0.0.5:6379", "redis://10.0.0.6:6379"), redis.endpoints());
    assertEquals(redis, new RedisOptions(redis.toJson()), "toJson reads back as the same options");
  }

  @Test
  void clusterModeWithoutEndpointsSaysWhatToList() {
    FlowpayFailure failure = assertThrows(FlowpayFailure.class,
        () -> options("{\"redis\": {\"mode\": \"cluster\"}}"));
    assertTrue(failure.getMessage().startsWith("redis.endpoints must list at least one node of the Redis Cluster"),
        failure.getMessage());
  }

  @Test
  void sentinelEndpointMustBeARedisUrlAndItsPasswordIsMasked() {
    FlowpayFailure failure = assertThrows(FlowpayFailure.class, () -> options(
        "{\"redis\": {\"mode\": \"sentinel\", \"sentinels\": [\"redis://:hunter2@10.0.0.5:26379\", \"10.0.0.6\"]}}"));
    assertTrue(failure.getMessage().contains("redis.sentinels has \"10.0.0.6\""), failure.getMessage());
    assertFalse(options("{\"redis\": {\"mode\": \"sentinel\", \"sentinels\": [\"redis://:hunter2@10.0.0.5:26379\"]}}")
        .redis().safeUrl().contains("hunter2"));
  }

  @Test
  void unknownModeIsNamed() {
    FlowpayFailure failure = assertThrows(FlowpayFailure.class, () -> options("{\"redis\": {\"mode\": \"replica\"}}"));
    assertEquals("redis.mode must be \"standalone\", \"sentinel\" or \"cluster\" (got \"replica\")", failure.getMessage());
  }

  @Test
  void rateLimitDefaultsFollowTheKeysMode() {
    StripeRateLimit limit = new FlowpayOptions(new JsonObject()).stripe().rateLimit();
    assertTrue(limit.enabled());
    assertEquals(25, limit.opsPerSecondFor(true));
    assertEquals(100, limit.opsPerSecondFor(false));
    assertEquals(20, limit.burstFor(100));
    assertEquals(5, limit.burstFor(25));
  }

  @Test
  void rateLimitReadsRateBurstAndWaits() {
    StripeRateLimit limit = options("{\"stripe\": {\"rateLimit\": {\"opsPerSecond\": 40, \"burst\": 8,"
        + " \"maxWaitMs\": 2000, \"maxQueued\": 100}}}").stripe().rateLimit();
    assertEquals(new StripeRateLimit(40, 8, 2_000, 100), limit);
    assertEquals(40, limit.opsPerSecondFor(true), "a configured rate wins over the key's default");
    assertEquals(limit, StripeRateLimit.read(limit.toJson()));
  }

  @Test
  void zeroOpsPerSecondTurnsTheBudgetOff() {
    assertFalse(options("{\"stripe\": {\"rateLimit\": {\"opsPerSecond\": 0}}}").stripe().rateLimit().enabled());
  }

  /** A sentinel config without sentinels, a misspelt rate-limit key, a rate limit that is not an object. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void refusedConfigSaysWhatToFix(String config, String messageStart) {
    FlowpayFailure failure = assertThrows(FlowpayFailure.class, () -> options(config));
    assertTrue(failure.getMessage().startsWith(messageStart), failure.getMessage());
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of("{\"redis\": {\"mode\": \"sentinel\"}}", "redis.sentinels must list at least one sentinel"),
        Arguments.of("{\"stripe\": {\"rateLimit\": {\"opsPerSec\": 10}}}", "stripe.rateLimit.opsPerSec is not a known key"),
        Arguments.of("{\"stripe\": {\"rateLimit\": 25}}", "stripe.rateLimit must be an object"));
  }

  private static FlowpayOptions options(String json) {
    return new FlowpayOptions(new JsonObject(json));
  }
}
