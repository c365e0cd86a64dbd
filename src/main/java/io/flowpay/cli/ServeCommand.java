package io.flowpay.cli;

import io.flowpay.ShutdownLogManager;
import io.flowpay.config.FlowpayOptions;
import io.flowpay.config.Secrets;
import io.flowpay.config.WorkerIds;
import io.flowpay.failure.FlowpayFailure;
import io.flowpay.http.HttpServices;
import io.flowpay.http.HttpVerticle;
import io.flowpay.metrics.FlowMetrics;
import io.flowpay.queue.QueueReader;
import io.flowpay.script.FlowFinding;
import io.flowpay.stripe.WebClientStripeClient;
import io.flowpay.worker.FlowpayNode;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flowpay serve}: runs the configured workers, and the HTTP API when configured, until SIGTERM / Ctrl-C.
 * With {@code --local}, everything on this machine: an embedded Redis keeping its data in a folder, the Stripe
 * stand-in, the HTTP API and webhooks with a generated token and signing secret.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Run the workers named in the config (and the HTTP API when http.port is set) until stopped"
        + " (SIGTERM or Ctrl-C stops them gracefully).%n"
        + "--local runs the whole service on this machine with nothing installed: an embedded Redis (data kept in"
        + " --data), the local Stripe stand-in, the HTTP API and webhooks with a generated token and signing secret.")
public final class ServeCommand extends CommandSupport {

  @Option(names = "--config", description = "Config file (default: conf/flowpay.json; with --local, only if present).")
  Path config;

  @Option(names = "--local", description = "Embedded Redis, Stripe stand-in, generated API token and webhook secret.")
  boolean local;

  @Option(names = "--port", description = "With --local: HTTP port (default: the config's http.port, else 8080; 0 picks one).")
  Integer port;

  @Option(names = "--redis-port", defaultValue = "6390",
      description = "With --local: port of the embedded Redis (default: ${DEFAULT-VALUE}; 0 picks one).")
  int redisPort;

  @Option(names = "--data", defaultValue = ".flowpay",
      description = "With --local: folder for the embedded Redis's data (default: ${DEFAULT-VALUE}), kept across restarts.")
  Path data;

  @Option(names = "--workers", split = ",", arity = "1..*", paramLabel = "ID",
      description = "Worker ids this process may serve, instead of the config's workers: ids or ranges such as"
          + " 'w{0..15}'. It serves a fair share of them among the live processes given the same ids.")
  List<String> workers;

  @Option(names = "--status-every", defaultValue = "60",
      description = "Seconds between one-line status reports (default: ${DEFAULT-VALUE}; 0: none).")
  long statusEvery;

  /** Counted down by SIGTERM / Ctrl-C (the shutdown hook), or by a test; the stop then runs on the command's thread. */
  final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);

  @Override
  int run(PrintWriter out) throws InterruptedException {
    try {
      return local ? serveLocal(out) : serve(out, options(config, true), null);
    } finally {
      stopped.countDown();  // SIGTERM's hook returns (and the JVM exits) only once everything stopped
    }
  }

  private int serveLocal(PrintWriter out) throws InterruptedException {
    try (LocalStack stack = LocalStack.start(data.resolve("redis"), redisPort, env)) {
      FlowpayOptions base = config != null || Files.exists(Path.of(FlowpayOptions.DEFAULT_CONFIG))
          ? options(config, true) : new FlowpayOptions();
      return serve(out, stack.options(base, port), stack);
    } catch (UncheckedIOException cannotStart) {
      return fail(cannotStart.getMessage(), ExitCodes.FAILED);
    }
  }

  private int serve(PrintWriter out, FlowpayOptions configured, LocalStack stack) throws InterruptedException {
    FlowpayOptions options = workers == null ? configured : configured.withWorkers(workerIds(workers));
    Secrets secrets = new Secrets(env);
    String key = stack != null ? LocalStack.STAND_IN_KEY : stripeKey(secrets);
    List<String> tokens = stack != null ? stack.tokens : options.http().enabled() ? apiTokens(secrets) : List.of();
    String webhookSecret = stack != null ? stack.webhookSecret
        : options.webhooks().enabled() ? webhookSecret(secrets) : null;
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
    // Before it says it serves: from then on a SIGTERM drains the workers and releases their leases.
    Thread hook = new Thread(() -> {
      stopRequested.countDown();
      awaitQuietly(stopped);
    }, "flowpay-shutdown");
    ShutdownLogManager.keepThroughShutdown();  // what the drain logs after SIGTERM is printed
    Runtime.getRuntime().addShutdownHook(hook);
    out.printf("flowpay: serving workers %s (leases held; pool of %d worker id(s)), flows from %s (a changed file"
        + " is used from its next run), Redis at %s, Stripe at %s (key %s)%n", node.workers().keySet(),
        options.workers().size(), options.flowsDir(), options.redis().safeUrl(), options.stripe().apiBase(),
        Secrets.mask(key));
    printFindings(options.flowsDir(), out);
    if (stack != null) {
      printLocal(out, stack);
    }
    out.flush();
    ServeStatus status = new ServeStatus(vertx, metrics, new QueueReader(node.redis()), options.workers(), out);
    status.start(statusEvery);
    try {
      stopRequested.await();
      status.stop();
      stop(vertx, http, node);
      out.println("flowpay: stopped (" + status.runs() + " since start)");
      out.flush();
    } finally {
      removeHook(hook);
    }
    return ExitCodes.OK;
  }

  private static List<String> workerIds(List<String> entries) {
    try {
      return WorkerIds.expand(entries);
    } catch (IllegalArgumentException bad) {
      throw new FlowpayFailure(FlowpayFailure.Kind.CONFIG_INVALID, "--workers " + bad.getMessage());
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the JVM is stopping: the hook is running and returns now
    }
  }

  private static void printLocal(PrintWriter out, LocalStack stack) {
    out.printf("flowpay: local: Redis embedded at %s, data in %s; Stripe stand-in at %s%n", stack.redis.url(),
        stack.redis.dataDir(), stack.stripe.baseUrl());
    if (stack.tokenGenerated) {
      out.printf("flowpay: API token (shown once, new at each start): %s%n", stack.tokens.get(0));
    }
    if (stack.secretGenerated) {
      out.printf("flowpay: webhook signing secret: %s%n", stack.webhookSecret);
    }
    out.printf("flowpay: in another shell:%n  export REDIS_URL=%s%s%s%n", stack.redis.url(),
        stack.tokenGenerated ? " FLOWPAY_API_TOKENS=" + stack.tokens.get(0) : "",
        stack.secretGenerated ? " STRIPE_WEBHOOK_SECRET=" + stack.webhookSecret : "");
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
    } catch (Exception failed) {
      node.stop().await();
      String where = options.http().host() + ":" + options.http().port();
      throw new FlowpayFailure(FlowpayFailure.Kind.CONFIG_INVALID, failed instanceof java.net.BindException
          ? "cannot start the HTTP API: " + where + " is in use (another flowpay serve?): stop what listens there, or"
              + " set another http.port (--port with --local)"
          : "cannot start the HTTP API on " + where + " (" + failed + "): check http.host and http.port");
    }
    out.printf("flowpay: HTTP API on http://%s:%d (%d API token(s); /health open, /v1 and /metrics need a token)%s%n",
        options.http().host(), verticle.port(), tokens.size(), webhookSecret == null ? ""
            : "; Stripe webhooks at /webhooks/stripe (signing secret " + Secrets.mask(webhookSecret) + ")");
    return id;
  }

  private static String stripeKey(Secrets secrets) {
    return required(secrets.stripeKey(), Secrets.STRIPE_SECRET_KEY + " is not set: export your Stripe key (sk_test_..."
        + " for test mode) before 'flowpay serve', or try 'flowpay demo', which runs against a local Stripe stand-in");
  }

  private static List<String> apiTokens(Secrets secrets) {
    List<String> tokens = secrets.apiTokens();
    return required(tokens.isEmpty() ? null : tokens, Secrets.FLOWPAY_API_TOKENS + " is not set but the config turns"
        + " the HTTP API on (http.port): export FLOWPAY_API_TOKENS=<token>[,<token>...] (e.g. $(openssl rand -hex 32)),"
        + " or remove http.port to run without the API");
  }

  private static String webhookSecret(Secrets secrets) {
    return required(secrets.webhookSecret(), Secrets.STRIPE_WEBHOOK_SECRET + " is not set but the config turns Stripe"
        + " webhooks on (webhooks section): export STRIPE_WEBHOOK_SECRET=whsec_... (the endpoint's signing secret in the"
        + " Stripe dashboard, or what 'stripe listen' prints), or remove the webhooks section");
  }

  /** {@code secret}, or a config failure whose message names the missing environment variable and how to set it. */
  private static <T> T required(T secret, String missing) {
    if (secret == null) {
      throw new FlowpayFailure(FlowpayFailure.Kind.CONFIG_INVALID, missing);
    }
    return secret;
  }
}
