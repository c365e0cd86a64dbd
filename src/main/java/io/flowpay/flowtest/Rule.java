package io.flowpay.flowtest;

import io.flowpay.failure.FlowpayFailure;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * How Stripe answers a test's calls on one route, e.g. {@code POST /v1/payment_intents/*}{@code /confirm}: a
 * status and a body (a Stripe object, or Stripe's error envelope), or no answer at all (the connection is
 * reset). {@code *} stands for one path segment, a route without a method for any method. {@code times} is
 * how many calls it answers (then the next rule, or the stand-in, answers); negative: every call.
 */
final class Rule {

  private static final Pattern ROUTE = Pattern.compile("((GET|POST|DELETE) )?/v1/[A-Za-z0-9_*/.-]*");

  private final String route;
  private final String method;
  private final Pattern path;
  private final int status;
  private final JsonObject body;
  private final boolean noAnswer;
  private int remaining;

  private Rule(String route, int status, JsonObject body, boolean noAnswer, int times) {
    if (!ROUTE.matcher(route).matches()) {
      throw new FlowpayFailure(FlowpayFailure.Kind.BAD_REQUEST, "route '" + route
          + "' is not a Stripe route: write e.g. 'POST /v1/payment_intents/*/confirm' (method optional, * = one segment)");
    }
    int space = route.indexOf(' ');
    this.route = route;
    this.method = space < 0 ? null : route.substring(0, space);
    String glob = space < 0 ? route : route.substring(space + 1);
    this.path = Pattern.compile(Pattern.quote(glob).replace("*", "\\E[^/]+\\Q"));
    this.status = status;
    this.body = body;
    this.noAnswer = noAnswer;
    this.remaining = times;
  }

  /**
   * From what a test's {@code t.stripe(route, answer, {times})} gives: {@code {status, body}} or
   * {@code {no_answer: true}}.
   */
  static Rule of(String route, JsonObject answer, int times) {
    if (answer.getBoolean("no_answer", false)) {
      return new Rule(route, 0, null, true, times);
    }
    Object body = answer.getValue("body");
    if (!(body instanceof JsonObject object)) {
      throw new FlowpayFailure(FlowpayFailure.Kind.BAD_REQUEST, "the answer for '" + route
          + "' has no object: use fixture('payment_intent', {...}), ok({...}), decline(...), stripeError(...),"
          + " serverError() or noAnswer()");
    }
    return new Rule(route, answer.getInteger("status", 200), object, false, times);
  }

  String route() {
    return route;
  }

  boolean matches(String requestMethod, String requestPath) {
    return (method == null || method.equals(requestMethod)) && path.matcher(requestPath).matches();
  }

  /** Uses up one of its answers; false when it has none left. */
  boolean take() {
    if (remaining == 0) {
      return false;
    }
    if (remaining > 0) {
      remaining--;
    }
    return true;
  }

  boolean noAnswer() {
    return noAnswer;
  }

  int status() {
    return status;
  }

  JsonObject body() {
    return body;
  }
}
