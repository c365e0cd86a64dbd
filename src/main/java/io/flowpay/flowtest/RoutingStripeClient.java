package io.flowpay.flowtest;

import io.flowpay.flow.Call;
import io.flowpay.stripe.StripeAnswer;
import io.flowpay.stripe.StripeClient;
import io.flowpay.stripe.WebClientStripeClient;
import io.vertx.core.Future;

/**
 * Sends each call with Flowpay's real HTTP client to {@link TestStripe}, under {@code /__t/<test>/}, where the
 * test is read from the context the call was made in ({@link Namespace}): that is how the one Stripe of a
 * {@code flowpay test} run knows whose rules answer a call and whose record it goes to.
 */
final class RoutingStripeClient implements StripeClient {

  private final WebClientStripeClient http;
  private final Namespace namespace;

  RoutingStripeClient(WebClientStripeClient http, Namespace namespace) {
    this.http = http;
    this.namespace = namespace;
  }

  @Override
  public Future<StripeAnswer> send(Call call) {
    String test = namespace.testOf(call.origin().contextId());
    if (test == null) {
      return http.send(call);
    }
    return http.send(new Call(call.callId(), call.method(), TestStripe.PREFIX + test + call.path(), call.params(),
        call.idempotencyKey(), call.onSuccess(), call.onError(), call.carry(), call.stripeAccount(), call.origin(),
        call.form()));
  }
}
