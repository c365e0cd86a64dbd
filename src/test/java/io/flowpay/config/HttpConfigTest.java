package io.flowpay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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

/** The {@code http} and {@code webhooks} config sections and the secrets they need. */
class HttpConfigTest {

  @TempDir
  Path dir;

  @Test
  void shippedConfigTurnsApiAndWebhooksOn() {
    FlowpayOptions options = FlowpayOptions.load(Path.of("conf/flowpay.json"), Map.of());
    assertEquals(new HttpOptions(8080, "127.0.0.1", 65536), options.http());
    assertEquals(new WebhookOptions(true, "w1"), options.webhooks());
  }

  @Test
  void withoutSectionsBothAreOff() throws IOException {
    FlowpayOptions options = load("{}");
    assertFalse(options.http().enabled());
    assertFalse(options.webhooks().enabled());
    assertEquals(HttpOptions.DEFAULT_HOST, options.http().host());
    assertEquals(HttpOptions.DEFAULT_MAX_BODY_BYTES, options.http().maxBodyBytes());
  }

  @Test
  void emptyWebhooksSectionTurnsThemOnWithFirstWorkerAsDefault() throws IOException {
    FlowpayOptions options = load("{\"workers\": [\"a\", \"b\"], \"http\": {\"port\": 0}, \"webhooks\": {}}");
    assertTrue(options.webhooks().enabled());
    assertNull(options.webhooks().defaultWorker());
    assertEquals(io.flowpay.flow.Placement.workerFor("ctx-1", options.workers()),
        options.webhooks().defaultWorker("ctx-1", options.workers()), "no defaultWorker: the context's placed worker");
  }

  @Test
  void optionsSurviveTheirJson() throws IOException {
    FlowpayOptions options = load("{\"http\": {\"port\": 9000, \"maxBodyBytes\": 2048}, \"webhooks\": {\"defaultWorker\": \"w9\"}}");
    assertEquals(options, new FlowpayOptions(options.toJson()));
    FlowpayOptions off = load("{}");
    assertEquals(off, new FlowpayOptions(off.toJson()));
  }

  @Test
  void badValuesAreNamed() throws IOException {
    assertFailure("{\"http\": {\"prot\": 8080}}", "unknown key 'http.prot'");
    assertFailure("{\"http\": {\"port\": 70000}}", "http.port must be a whole number from 0 to 65535");
    assertFailure("{\"http\": {\"port\": 1, \"maxBodyBytes\": 10}}", "http.maxBodyBytes must be a whole number from 1024");
    assertFailure("{\"http\": {\"port\": 1}, \"webhooks\": {\"defaultWorkr\": \"w1\"}}", "unknown key 'webhooks.defaultWorkr'");
    assertFailure("{\"http\": {\"port\": 1}, \"webhooks\": {\"defaultWorker\": \"w 1\"}}", "webhooks.defaultWorker 'w 1'");
    assertFailure("{\"webhooks\": {}}", "webhooks needs the HTTP server: set http.port");
    assertFailure("{\"http\": 8080}", "http must be an object");
  }

  @Test
  void webhookSecretMustLookLikeOne() {
    assertNull(new Secrets(Map.of()).webhookSecret());
    assertEquals("whsec_abc", new Secrets(Map.of(Secrets.STRIPE_WEBHOOK_SECRET, "whsec_abc")).webhookSecret());
    FlowpayFailure failure = assertThrows(FlowpayFailure.class,
        () -> new Secrets(Map.of(Secrets.STRIPE_WEBHOOK_SECRET, "sk_test_not_a_webhook_secret")).webhookSecret());
    assertTrue(failure.getMessage().contains("whsec_"), failure.getMessage());
    assertFalse(failure.getMessage().contains("notawebhooksecret"), "the value is masked: " + failure.getMessage());
  }

  @Test
  void apiTokensAreCommaSeparatedAndLong() {
    assertEquals(List.of(), new Secrets(Map.of()).apiTokens());
    assertEquals(List.of("aaaaaaaaaaaaaaaa1", "bbbbbbbbbbbbbbbb2"),
        new Secrets(Map.of(Secrets.FLOWPAY_API_TOKENS, " aaaaaaaaaaaaaaaa1, bbbbbbbbbbbbbbbb2 ,")).apiTokens());
    FlowpayFailure failure = assertThrows(FlowpayFailure.class,
        () -> new Secrets(Map.of(Secrets.FLOWPAY_API_TOKENS, "aaaaaaaaaaaaaaaa1,short-secret")).apiTokens());
    assertTrue(failure.getMessage().contains("token 2 of 2 is shorter than 16"), failure.getMessage());
    assertFalse(failure.getMessage().contains("short-secret"), "the token is not echoed: " + failure.getMessage());
  }

  @Test
  void connectionTimeoutsAndInFlightLimitHaveDefaultsAndAreNamedWhenBad() throws IOException {
    HttpOptions defaults = load("{\"http\": {\"port\": 1}}").http();
    assertEquals(HttpOptions.DEFAULT_HEADER_TIMEOUT_MS, defaults.headerTimeoutMs());
    assertEquals(HttpOptions.DEFAULT_IDLE_TIMEOUT_MS, defaults.idleTimeoutMs());
    assertEquals(HttpOptions.DEFAULT_MAX_IN_FLIGHT, defaults.maxInFlight());
    HttpOptions set = load("{\"http\": {\"port\": 1, \"headerTimeoutMs\": 2000, \"idleTimeoutMs\": 30000,"
        + " \"maxInFlight\": 64}}").http();
    assertEquals(new HttpOptions(1, HttpOptions.DEFAULT_HOST, HttpOptions.DEFAULT_MAX_BODY_BYTES, 2000, 30000, 64), set);
    assertEquals(set, new HttpOptions(set.toJson()));
    assertFailure("{\"http\": {\"port\": 1, \"headerTimeoutMs\": 0}}", "http.headerTimeoutMs must be a whole number");
    assertFailure("{\"http\": {\"port\": 1, \"idleTimeoutMs\": -1}}", "http.idleTimeoutMs must be a whole number");
    assertFailure("{\"http\": {\"port\": 1, \"maxInFlight\": 0}}", "http.maxInFlight must be a whole number");
  }

  @Test
  void scopedApiTokensAreCheckedAtStart() {
    List<String> entries = new Secrets(Map.of(Secrets.FLOWPAY_API_TOKENS,
        "aaaaaaaaaaaaaaaa1, bbbbbbbbbbbbbbbb2;contexts=merchant-a|merchant-b;flows=main")).apiTokens();
    List<ApiTokenSpec> specs = Secrets.apiTokenSpecs(entries);
    assertEquals(new ApiTokenSpec("aaaaaaaaaaaaaaaa1", java.util.Set.of(), java.util.Set.of()), specs.get(0));
    assertEquals(new ApiTokenSpec("bbbbbbbbbbbbbbbb2", java.util.Set.of("merchant-a", "merchant-b"),
        java.util.Set.of("main")), specs.get(1));
    assertEquals("merchant-a", ApiTokenSpec.namespace("merchant-a:order:1"));
    assertEquals("plain", ApiTokenSpec.namespace("plain"));
  }

  private FlowpayOptions load(String json) throws IOException {
    return FlowpayOptions.load(Files.writeString(dir.resolve("flowpay.json"), json), Map.of());
  }

  private void assertFailure(String json, String expected) throws IOException {
    FlowpayFailure failure = assertThrows(FlowpayFailure.class, () -> load(json), json);
    assertTrue(failure.getMessage().contains(expected), failure.getMessage());
  }
}
