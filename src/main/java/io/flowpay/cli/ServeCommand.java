package io.flowpay.cli;

import io.flowpay.config.FlowpayOptions;
import io.flowpay.config.Secrets;
import io.flowpay.failure.FlowpayFailure;
import io.flowpay.http.HttpServices;
import io.flowpay.http.HttpVerticle;
import io.flowpay.metrics.FlowMetrics;
import io.flowpay.script.FlowFinding;
import io.flowpay.stripe.WebClientStripeClient;
import io.flowpay.worker.FlowpayNode;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flowpay serve}: runs the configured workers, and the HTTP API when configured, until SIGTERM / Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Run the workers named in the config (and the HTTP API when http.port is set) until stopped"
        + " (SIGTERM or Ctrl-C stops them gracefully).")
public final class ServeCommand extends CommandSupport {

  @Option(names = "--config", description = "Config file (default: conf/flowpay.json).")
  Path config;

  public ServeCommand(Map<String, String> env) {
    super(env);
  }

  @Override
  int run(PrintWriter out) throws InterruptedException {
    FlowpayOptions options = options(config, true);
    Secrets secrets = new Secrets(env);
    String key = stripeKey(secrets);
    List<String> tokens = options.http().enabled() ? apiTokens(secrets) : List.of();
    String webhookSecret = options.webhooks().enabled() ? webhookSecret(secrets) : null;
    FlowMetrics metrics = new FlowMetrics();
    Vertx vertx = metrics.newVertx();
    FlowpayNode node;
    String http;
    try {
      node = FlowpayNode.start(vertx, options, new WebClientStripeClient(vertx, options.stripe(), key), metrics).await();
      http = options.http().enabled() ? startHttp(vertx, node, options, metrics, tokens, webhookSecret, out) : null;
    } catch (RuntimeException failed) {
      vertx.close().await();
      throw failed;
    }
    out.printf("flowpay: serving workers %s, flows from %s, Redis at %s, Stripe at %s (key %s)%n",
        options.workers(), options.flowsDir(), options.redis().safeUrl(), options.stripe().apiBase(), Secrets.mask(key));
    printFindings(options.flowsDir(), out);
    out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stop(vertx, http, node);
      stopped.countDown();
    }, "flowpay-shutdown"));
    stopped.await();
    return ExitCodes.OK;
  }

  /** What {@code flowpay check} finds in the flows: a flow with errors does not load, until it is fixed. */
  static void printFindings(Path flowsDir, PrintWriter out) {
    if (!Files.isDirectory(flowsDir)) {
      out.printf("flowpay: %s is not a folder: no flow can run until it holds your <flow>.js files%n", flowsDir);
      return;
    }
    List<FlowFinding> findings = CheckCommand.findings(flowsDir);
    long errors = findings.stream().filter(FlowFinding::isError).count();
    findings.forEach(finding -> out.println("flowpay: " + finding));
    out.printf("flowpay: checked %d flow(s) in %s: %d error(s), %d warning(s)%s%n", CheckCommand.countFlows(flowsDir),
        flowsDir, errors, findings.size() - errors, errors == 0 ? ""
            : "; a flow with errors does not load (its runs fail) until it is fixed; a fixed file loads on its next run");
  }

  /**
   * The HTTP server first (no new work comes in), then the workers (they finish what they hold), then
   * Vert.x. Step by step from this thread: a future bound to an event loop must not complete after
   * Vert.x closed its loops.
   */
  private static void stop(Vertx vertx, String http, FlowpayNode node) {
    try {
      if (http != null) {
        vertx.undeploy(http).await();
      }
      node.stop().await();
    } finally {
      vertx.close().await();
    }
  }

  /** Deploys the HTTP verticle; on failure stops the node and says which port could not be used. */
  private static String startHttp(Vertx vertx, FlowpayNode node, FlowpayOptions options, FlowMetrics metrics,
      List<String> tokens, String webhookSecret, PrintWriter out) {
    HttpVerticle verticle = new HttpVerticle(options, HttpServices.of(node, metrics), tokens, webhookSecret);
    String id;
    try {
      id = vertx.deployVerticle(verticle).await();
    } catch (RuntimeException failed) {
      node.stop().await();
      throw new FlowpayFailure(FlowpayFailure.Kind.CONFIG_INVALID, "cannot start the HTTP API on " + options.http().host()
          + ":" + options.http().port() + " (" + failed.getMessage() + "): is the port free? set another http.port / http.host");
    }
    out.printf("flowpay: HTTP API on http://%s:%d (%d API token(s); /health open, /v1 and /metrics need a token)%s%n",
        options.http().host(), verticle.port(), tokens.size(), webhookSecret == null ? ""
            : "; Stripe webhooks at /webhooks/stripe (signing secret " + Secrets.mask(webhookSecret) + ")");
    return id;
  }

  private static String stripeKey(Secrets secrets) {
    String key = secrets.stripeKey();
    if (key == null) {
      throw new FlowpayFailure(FlowpayFailure.Kind.CONFIG_INVALID, Secrets.STRIPE_SECRET_KEY
          + " is not set: export your Stripe key (sk_test_... for test mode) before 'flowpay serve',"
          + " or try 'flowpay demo', which runs against a local Stripe stand-in");
    }
    return key;
  }

  private static List<String> apiTokens(Secrets secrets) {
    List<String> tokens = secrets.apiTokens();
    if (tokens.isEmpty()) {
      throw new FlowpayFailure(FlowpayFailure.Kind.CONFIG_INVALID, Secrets.FLOWPAY_API_TOKENS
          + " is not set but the config turns the HTTP API on (http.port): export FLOWPAY_API_TOKENS=<token>[,<token>...]"
          + " (e.g. $(openssl rand -hex 32)), or remove http.port to run without the API");
    }
    return tokens;
  }

  private static String webhookSecret(Secrets secrets) {
    String secret = secrets.webhookSecret();
    if (secret == null) {
      throw new FlowpayFailure(FlowpayFailure.Kind.CONFIG_INVALID, Secrets.STRIPE_WEBHOOK_SECRET
          + " is not set but the config turns Stripe webhooks on (webhooks section): export STRIPE_WEBHOOK_SECRET=whsec_..."
          + " (the endpoint's signing secret in the Stripe dashboard, or what 'stripe listen' prints),"
          + " or remove the webhooks section");
    }
    return secret;
  }
}
