package io.flowpay.cli;

import io.flowpay.config.Secrets;
import io.flowpay.failure.FlowpayFailure;
import io.flowpay.flow.FlowNames;
import io.flowpay.standin.TestEvents;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code flowpay webhook send <event type>}: a signed test Stripe event posted to a Flowpay service, as
 * {@code stripe trigger} does against Stripe, for trying event flows locally.
 */
@Command(name = "webhook", mixinStandardHelpOptions = true,
    description = "Send a signed test Stripe event to a running service: 'webhook send payment_intent.succeeded"
        + " --context order-1' runs flows/on_payment_intent_succeeded.js in context order-1.%n"
        + "Exit code: 0 when the service answered 2xx, 1 when it refused the event or could not be reached, 2 for usage errors.")
public final class WebhookCommand extends CommandSupport {

  enum Action { send }

  @Parameters(index = "0", paramLabel = "ACTION", description = "send.")
  Action action;

  @Parameters(index = "1", paramLabel = "EVENT_TYPE", description = "Stripe event type, e.g. payment_intent.succeeded.")
  String type;

  @Option(names = "--context", required = true, description = "Context the event is routed to (metadata[flowpay_context]).")
  String context;

  @Option(names = "--worker", description = "Worker the event is routed to (metadata[flowpay_worker]; default: the"
      + " service's webhooks.defaultWorker).")
  String worker;

  @Option(names = "--url", defaultValue = "http://127.0.0.1:8080/webhooks/stripe",
      description = "The service's webhook endpoint (default: ${DEFAULT-VALUE}).")
  URI url;

  @Option(names = "--secret", description = "Signing secret (default: $STRIPE_WEBHOOK_SECRET, as 'serve --local' prints it).")
  String secret;

  @Override
  int run(PrintWriter out) throws InterruptedException {
    String signingSecret = signingSecret();
    FlowNames.requireId("--context", context);
    if (worker != null) {
      FlowNames.requireId("--worker", worker);
    }
    JsonObject event = new TestEvents().event(type, context, worker);
    String payload = event.encode();
    HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json; charset=utf-8")
        .header("Stripe-Signature", TestEvents.signature(payload, signingSecret, System.currentTimeMillis() / 1000))
        .POST(HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8)).build();
    HttpResponse<String> answer;
    try {
      answer = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException unreachable) {
      return fail("cannot reach " + url + " (" + unreachable
          + "): start the service ('flowpay serve --local'), or point --url at its /webhooks/stripe", ExitCodes.FAILED);
    }
    out.printf("sent %s %s -> %d %s%n", event.getString("type"), event.getString("id"), answer.statusCode(),
        answer.body());
    return answer.statusCode() / 100 == 2 ? ExitCodes.OK : ExitCodes.FAILED;
  }

  private String signingSecret() {
    String value = secret != null ? secret : env.get(Secrets.STRIPE_WEBHOOK_SECRET);
    if (value == null || value.isBlank()) {
      throw new FlowpayFailure(FlowpayFailure.Kind.BAD_REQUEST, "no signing secret: pass --secret whsec_... or export "
          + Secrets.STRIPE_WEBHOOK_SECRET + " (the one 'flowpay serve --local' printed)");
    }
    return value;
  }
}
