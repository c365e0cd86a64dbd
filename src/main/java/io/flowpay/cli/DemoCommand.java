package io.flowpay.cli;

import io.flowpay.config.FlowpayOptions;
import io.flowpay.config.Secrets;
import io.flowpay.flow.Caller;
import io.flowpay.flow.Ids;
import io.flowpay.flow.Task;
import io.flowpay.queue.ChainStatus;
import io.flowpay.standin.EmbeddedRedis;
import io.flowpay.standin.StripeStandIn;
import io.flowpay.stripe.StripeClient;
import io.flowpay.stripe.WebClientStripeClient;
import io.flowpay.worker.FlowpayNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flowpay demo}: the example chain end to end on this machine: an embedded Redis (unless
 * {@code REDIS_URL}), a local Stripe stand-in (unless {@code STRIPE_SECRET_KEY}), one worker, and
 * two orders: one paid with a good card, one declined.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the example chain (flows/main.js) for a paid and a declined order, printing every run, then exit.")
public final class DemoCommand extends CommandSupport {

  private static final String STAND_IN_KEY = "sk_test_flowpay_stand_in";
  private static final long TIMEOUT_MS = 120_000;

  @Option(names = "--flows", defaultValue = "flows", description = "Flows folder (default: flows).")
  Path flows;

  @Option(names = "--json", description = "Print one JSON object per run and a summary object per chain.")
  boolean json;

  @Override
  int run(PrintWriter out) {
    String key = new Secrets(env).stripeKey();
    String redisUrl = env.get("REDIS_URL");
    try (EmbeddedRedis redis = redisUrl == null ? EmbeddedRedis.start() : null;
        StripeStandIn standIn = key == null ? StripeStandIn.start() : null) {
      FlowpayOptions defaults = new FlowpayOptions();
      FlowpayOptions options = defaults.withFlowsDir(flows).withWorkers(List.of("demo"))
          .withRedis(defaults.redis().withUrl(redis == null ? redisUrl : redis.url()))
          .withStripe(standIn == null ? defaults.stripe() : defaults.stripe().withApiBase(standIn.baseUrl()));
      if (!json) {
        out.printf("flowpay demo: Redis %s, Stripe %s%n", redis == null ? options.redis().safeUrl() : "embedded at " + redis.url(),
            standIn == null ? "test mode with key " + Secrets.mask(key) : "stand-in at " + standIn.baseUrl());
      }
      return runDemo(out, options, key == null ? STAND_IN_KEY : key);
    }
  }

  private int runDemo(PrintWriter out, FlowpayOptions options, String key) {
    Vertx vertx = Vertx.vertx();
    try {
      StripeClient stripe = new WebClientStripeClient(vertx, options.stripe(), key);
      FlowpayNode node = FlowpayNode.start(vertx, options, stripe).await();
      RunPrinter printer = new RunPrinter(out, json);
      String order = Ids.newId().substring(0, 8);
      List<Task> chains = List.of(order(order + "-paid", "pm_card_visa"), order(order + "-declined", "pm_card_chargeDeclined"));
      List<Future<ChainStatus>> settled = chains.stream()
          .map(task -> node.queue().start(task)
              .compose(entry -> ChainFollower.follow(node, options, task.chainId(), printer, TIMEOUT_MS)))
          .toList();
      Future.all(settled).await();
      long failed = 0;
      for (int i = 0; i < chains.size(); i++) {
        ChainStatus status = settled.get(i).result();
        failed += status.failed();
        printer.summary(ChainFollower.summary(status));
        printState(out, chains.get(i).contextId(), node.queue().contextState(chains.get(i).contextId()).await());
      }
      node.stop().await();
      return failed == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    } finally {
      vertx.close().await();
    }
  }

  private static Task order(String context, String paymentMethod) {
    JsonObject input = new JsonObject().put("order_id", context).put("amount", 2000).put("currency", "usd")
        .put("payment_method", paymentMethod);
    return Task.main("main", "demo", context, Caller.CLI, input);
  }

  private void printState(PrintWriter out, String context, JsonObject state) {
    if (json) {
      out.println(new JsonObject().put("context_id", context).put("state", state).encode());
    } else {
      out.printf("context %s: %s%n", context, state.encode());
    }
  }
}
