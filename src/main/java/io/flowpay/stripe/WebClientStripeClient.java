package io.flowpay.stripe;

import io.flowpay.config.StripeOptions;
import io.flowpay.flow.Call;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Sends calls to Stripe with one non-blocking Vert.x {@link WebClient}: form-encoded bodies (by
 * stripe-java's encoder), the pinned {@code Stripe-Version}, the call's {@code Idempotency-Key}.
 *
 * <p>Each request is bounded as a whole by {@link StripeOptions#timeoutMs()}. Vert.x's per-request
 * {@code timeout}/{@code idleTimeout} only fire when no data arrives for that long (an answer that
 * trickles in slowly never trips them), so the whole-answer deadline is a {@code Future.timeout};
 * the idle timeout is also set, so that a silent connection is closed and not left in the pool.
 */
public final class WebClientStripeClient implements StripeClient {

  private static final Logger LOG = System.getLogger(WebClientStripeClient.class.getName());
  static final String USER_AGENT = "Flowpay/0.1";

  private final WebClient client;
  private final StripeOptions options;
  /** {@code Bearer <secret key>}: never logged, never in {@link #toString()}. */
  private final String authorization;
  private final StripeAccount account;

  public WebClientStripeClient(Vertx vertx, StripeOptions options, String secretKey) {
    this.options = Objects.requireNonNull(options, "options");
    this.authorization = "Bearer " + Objects.requireNonNull(secretKey, "secretKey");
    this.account = StripeAccount.ofSecretKey(secretKey);
    WebClientOptions clientOptions = new WebClientOptions()
        .setKeepAlive(true)
        .setPipelining(false)
        .setConnectTimeout(options.connectTimeoutMs())
        .setFollowRedirects(false)
        .setUserAgentEnabled(false);
    this.client = WebClient.create(vertx, clientOptions, new PoolOptions().setHttp1MaxSize(options.maxConnections()));
  }

  @Override
  public Future<StripeAnswer> send(Call call) {
    String request = call.method() + " " + options.apiBase() + call.path();
    Future<HttpResponse<Buffer>> sent;
    try {
      sent = dispatch(call);
    } catch (RuntimeException unsendable) {
      LOG.log(Level.WARNING, "Stripe call {0} ({1}) could not be sent: {2}", call.callId(), request, unsendable.toString());
      return Future.succeededFuture(StripeAnswers.notSent(request, unsendable));
    }
    return sent
        .timeout(options.timeoutMs(), TimeUnit.MILLISECONDS)
        .map(response -> StripeAnswers.fromHttp(response.statusCode(), response.headers(), response.body()))
        .recover(failure -> Future.succeededFuture(noAnswer(call, request, failure)));
  }

  @Override
  public StripeAccount account() {
    return account;
  }

  /** Closes the connection pool. */
  public void close() {
    client.close();
  }

  private Future<HttpResponse<Buffer>> dispatch(Call call) {
    HttpMethod method = HttpMethod.valueOf(call.method().toUpperCase(Locale.ROOT));
    String form = call.form() != null ? call.form() : StripeForm.encode(call.params());
    boolean formBody = method.equals(HttpMethod.POST);
    HttpRequest<Buffer> request = client.requestAbs(method, url(call.path(), formBody ? "" : form))
        .idleTimeout(options.timeoutMs());
    putHeaders(request, call, formBody);
    return formBody ? request.sendBuffer(Buffer.buffer(form)) : request.send();
  }

  private String url(String path, String query) {
    String url = options.apiBase() + path;
    return query.isEmpty() ? url : url + (path.contains("?") ? "&" : "?") + query;
  }

  private void putHeaders(HttpRequest<Buffer> request, Call call, boolean formBody) {
    request.putHeader("Authorization", authorization)
        .putHeader("Stripe-Version", options.apiVersion())
        .putHeader("User-Agent", USER_AGENT)
        .putHeader("Accept", "application/json");
    if (formBody) {
      request.putHeader("Content-Type", "application/x-www-form-urlencoded");
    }
    if (call.idempotencyKey() != null && !call.method().equalsIgnoreCase("GET")) {
      request.putHeader("Idempotency-Key", call.idempotencyKey());
    }
    if (call.stripeAccount() != null) {
      request.putHeader("Stripe-Account", call.stripeAccount());
    }
  }

  private StripeAnswer noAnswer(Call call, String request, Throwable failure) {
    StripeAnswer answer = StripeAnswers.fromFailure(request, failure);
    LOG.log(Level.INFO, "Stripe call {0} ({1}) got no answer: {2}", call.callId(), request,
        answer.error().getString("message"));
    return answer;
  }

  @Override
  public String toString() {
    return "WebClientStripeClient[apiBase=" + options.apiBase() + ", apiVersion=" + options.apiVersion() + "]";
  }
}
