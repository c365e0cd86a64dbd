package io.flowpay.cli;

import io.flowpay.config.FlowpayOptions;
import io.flowpay.config.Secrets;
import io.flowpay.failure.FlowpayFailure;
import io.flowpay.stripe.WebClientStripeClient;
import io.flowpay.worker.FlowpayNode;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flowpay serve}: runs the configured workers until SIGTERM / Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Run the workers named in the config until stopped (SIGTERM or Ctrl-C stops them gracefully).")
public final class ServeCommand extends CommandSupport {

  @Option(names = "--config", description = "Config file (default: conf/flowpay.json).")
  Path config;

  public ServeCommand(Map<String, String> env) {
    super(env);
  }

  @Override
  int run(PrintWriter out) throws InterruptedException {
    FlowpayOptions options = options(config, true);
    String key = new Secrets(env).stripeKey();
    if (key == null) {
      throw new FlowpayFailure(FlowpayFailure.Kind.CONFIG_INVALID, Secrets.STRIPE_SECRET_KEY
          + " is not set: export your Stripe key (sk_test_... for test mode) before 'flowpay serve',"
          + " or try 'flowpay demo', which runs against a local Stripe stand-in");
    }
    Vertx vertx = Vertx.vertx();
    FlowpayNode node;
    try {
      node = FlowpayNode.start(vertx, options, new WebClientStripeClient(vertx, options.stripe(), key)).await();
    } catch (RuntimeException failed) {
      vertx.close().await();
      throw failed;
    }
    out.printf("flowpay: serving workers %s, flows from %s, Redis at %s, Stripe at %s (key %s)%n",
        options.workers(), options.flowsDir(), options.redis().safeUrl(), options.stripe().apiBase(), Secrets.mask(key));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      node.stop().eventually(vertx::close).await();
      stopped.countDown();
    }, "flowpay-shutdown"));
    stopped.await();
    return ExitCodes.OK;
  }
}
