package io.flowpay.cli;

import io.flowpay.config.FlowpayOptions;
import io.flowpay.config.HttpOptions;
import io.flowpay.config.Secrets;
import io.flowpay.config.WebhookOptions;
import io.flowpay.standin.EmbeddedRedis;
import io.flowpay.standin.StripeStandIn;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * What {@code flowpay serve --local} brings up around the service: an embedded Redis that keeps its data in a
 * folder, the local Stripe stand-in, and an API token and webhook secret (the environment's when set, else new).
 */
final class LocalStack implements AutoCloseable {

  static final String STAND_IN_KEY = "sk_test_flowpay_stand_in";
  static final int DEFAULT_HTTP_PORT = 8080;

  final EmbeddedRedis redis;
  final StripeStandIn stripe;
  final List<String> tokens;
  final boolean tokenGenerated;
  final String webhookSecret;
  final boolean secretGenerated;

  private LocalStack(EmbeddedRedis redis, StripeStandIn stripe, Secrets secrets) {
    this.redis = redis;
    this.stripe = stripe;
    List<String> given = secrets.apiTokens();
    this.tokenGenerated = given.isEmpty();
    this.tokens = tokenGenerated ? List.of(random(32)) : given;
    String secret = secrets.webhookSecret();
    this.secretGenerated = secret == null;
    this.webhookSecret = secretGenerated ? "whsec_" + random(24) : secret;
  }

  /** Starts Redis (data in {@code dataDir}, on {@code redisPort}; 0 picks one) and the stand-in. */
  static LocalStack start(Path dataDir, int redisPort, Map<String, String> env) {
    Secrets secrets = new Secrets(env);
    EmbeddedRedis redis = EmbeddedRedis.persistent(dataDir, redisPort);
    try {
      return new LocalStack(redis, StripeStandIn.start(), secrets);
    } catch (RuntimeException failed) {
      redis.close();
      throw failed;
    }
  }

  /** {@code base} with Redis and Stripe pointed here, the HTTP API on, and webhooks on. */
  FlowpayOptions options(FlowpayOptions base, Integer httpPort) {
    int port = httpPort != null ? httpPort : base.http().enabled() ? base.http().port() : DEFAULT_HTTP_PORT;
    return base.withRedis(base.redis().withUrl(redis.url()))
        .withStripe(base.stripe().withApiBase(stripe.baseUrl()))
        .withHttp(new HttpOptions(port, base.http().host(), base.http().maxBodyBytes()))
        .withWebhooks(base.webhooks().enabled() ? base.webhooks() : new WebhookOptions(true, null));
  }

  @Override
  public void close() {
    try {
      stripe.close();
    } finally {
      redis.close();
    }
  }

  private static String random(int bytes) {
    byte[] value = new byte[bytes];
    new SecureRandom().nextBytes(value);
    return HexFormat.of().formatHex(value);
  }
}
