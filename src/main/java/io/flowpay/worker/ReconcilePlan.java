package io.flowpay.worker;

import io.flowpay.flow.Call;
import io.flowpay.flow.RawJson;
import io.flowpay.queue.ReconcileState;
import io.flowpay.stripe.StripeAnswer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Set;

/**
 * What to try next for a call whose outcome at Stripe is not known, and what the answer to a try
 * means. Pure: the {@link Reconciler} sends and stores.
 *
 * <p>Two ways to learn what became of a call. <b>Re-send it with its idempotency key</b>: Stripe
 * replays the first result once the request began executing, and runs it if it never began; right
 * after no answer at all (a timeout, a dropped connection) that is all it takes. But a 5xx is
 * replayed too, for ever, once execution began; so after a 5xx, tries alternate with <b>a read</b>:
 * the object an action or update acted on is retrieved (Stripe answers an action with that object),
 * and the object a create made is searched for by the {@code metadata[flowpay_call]} Flowpay put on
 * it, where the resource has Stripe's search.
 */
final class ReconcilePlan {

  /** Resources Stripe's search API covers. */
  static final Set<String> SEARCHABLE = Set.of("charges", "customers", "invoices", "payment_intents", "prices",
      "products", "subscriptions");
  /** Verbs posted to {@code <resource>/<id>/<verb>} that answer with the object itself. */
  static final Set<String> ACTIONS = Set.of("confirm", "capture", "cancel", "finalize", "pay", "void", "send",
      "mark_uncollectible", "increment_authorization", "apply_customer_balance", "attach", "detach", "close",
      "expire", "resume", "release", "verify_microdeposits", "reverse", "approve", "reject", "accept", "reconcile");
  /** Path segments that start a two-segment resource, e.g. {@code checkout/sessions}. */
  private static final Set<String> NAMESPACES = Set.of("checkout", "billing", "billing_portal", "issuing", "terminal",
      "treasury", "radar", "identity", "tax", "climate", "financial_connections", "entitlements", "forwarding",
      "reporting", "apps", "test_helpers");
  static final String METADATA_KEY = "flowpay_call";

  enum Probe { RESEND, READ }

  /**
   * An attempt's meaning: a definite answer to deliver to the call's response or error flow, or
   * null {@code body} when the outcome is still unknown.
   *
   * @param how for {@code request.reconciled}: {@code resent}, {@code retrieved} or {@code found}
   */
  record Verdict(boolean success, Object body, String how) {

    static final Verdict UNKNOWN = new Verdict(false, null, null);

    boolean definite() {
      return body != null;
    }
  }

  private ReconcilePlan() {}

  /** A call worth reconciling: its outcome is unknown and it may have changed something at Stripe. */
  static boolean needed(Call call, StripeAnswer answer) {
    return answer.outcomeUnknown() && !"GET".equalsIgnoreCase(call.method());
  }

  /** Re-send after no answer; after a 5xx (or an unreadable 2xx) alternate reads and re-sends, read first. */
  static Probe next(Call call, ReconcileState state) {
    if (state.lastStatus() == null || readFor(call) == null) {
      return Probe.RESEND;
    }
    return state.attempts() % 2 == 0 ? Probe.READ : Probe.RESEND;
  }

  /** The GET that shows what became of {@code call}, or null when there is none. */
  static Call readFor(Call call) {
    if (!"POST".equalsIgnoreCase(call.method()) || !call.path().startsWith("/v1/")) {
      return null;
    }
    String[] parts = call.path().substring(4).split("/");
    int base = parts.length > 1 && NAMESPACES.contains(parts[0]) ? 2 : 1;
    String resource = String.join("/", Arrays.copyOfRange(parts, 0, Math.min(base, parts.length)));
    if (parts.length == base) {
      return SEARCHABLE.contains(resource) && callIdInMetadata(call) ? search(call, resource) : null;
    }
    boolean onObject = parts.length == base + 1 || parts.length == base + 2 && ACTIONS.contains(parts[base + 1]);
    return onObject && !"search".equals(parts[base]) ? get(call, "/v1/" + resource + "/" + parts[base], new JsonObject()) : null;
  }

  /** What the answer to {@code probe} says about {@code call}. */
  static Verdict judge(Probe probe, Call call, StripeAnswer answer) {
    if (probe == Probe.RESEND) {
      return answer.outcomeUnknown() ? Verdict.UNKNOWN : new Verdict(answer.success(), answer.body(), "resent");
    }
    if (readFor(call).path().endsWith("/search")) {
      return found(answer);
    }
    if (answer.success()) {
      return new Verdict(true, answer.body(), "retrieved");
    }
    Integer status = answer.httpStatus();
    return status != null && status == 404 ? new Verdict(false, answer.body(), "retrieved") : Verdict.UNKNOWN;
  }

  private static Verdict found(StripeAnswer answer) {
    if (!answer.success()) {
      return Verdict.UNKNOWN;
    }
    JsonArray data = answer.json().getJsonArray("data");
    return data == null || data.isEmpty() || !(data.getValue(0) instanceof JsonObject object)
        ? Verdict.UNKNOWN
        : new Verdict(true, RawJson.object(object.encode()), "found");
  }

  private static boolean callIdInMetadata(Call call) {
    return call.params().getValue("metadata") instanceof JsonObject metadata
        && call.callId().equals(metadata.getValue(METADATA_KEY));
  }

  private static Call search(Call call, String resource) {
    JsonObject query = new JsonObject().put("query", "metadata['" + METADATA_KEY + "']:'" + call.callId() + "'");
    return get(call, "/v1/" + resource + "/search", query);
  }

  private static Call get(Call call, String path, JsonObject params) {
    return new Call(call.callId() + ":read", "GET", path, params, null, call.onSuccess(), call.onError(), null,
        call.stripeAccount(), call.origin());
  }
}
