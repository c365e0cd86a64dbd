package io.flowpay.stripe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.TestRedis;
import io.flowpay.config.StripeOptions;
import io.flowpay.config.StripeRateLimit;
import io.flowpay.flow.Call;
import io.flowpay.flow.Ids;
import io.flowpay.http.RespProxy;
import io.flowpay.metrics.FlowMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fleet's Stripe rate budget against a real Redis, with clients that each stand for a process (each its
 * own Redis client), in front of a Stripe that records when each call reached it.
 */
@ExtendWith(TestRedis.Extension.class)
class RateBudgetIT {

  private Vertx vertx;
  private final List<Redis> clients = new ArrayList<>();
  private String secretKey;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    secretKey = "sk_test_" + Ids.newId();
  }

  @AfterEach
  void tearDown() {
    clients.forEach(Redis::close);
    vertx.close().await();
  }

  @Test
  void processesSharingAnAccountTogetherSendNoFasterThanItsRate(TestRedis redis) {
    int rate = 30;
    int burst = 3;
    RecordingStripe stripe = new RecordingStripe(secretKey);
    FlowMetrics metrics = new FlowMetrics();
    List<StripeClient> processes = List.of(budgeted(redis, stripe, rate, burst, 10_000, metrics),
        budgeted(redis, stripe, rate, burst, 10_000, metrics), budgeted(redis, stripe, rate, burst, 10_000, metrics));
    long started = System.nanoTime();
    List<Future<StripeAnswer>> answers = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      for (StripeClient process : processes) {
        answers.add(process.send(call(null)));
      }
    }
    Future.all(answers).await();

    assertTrue(answers.stream().allMatch(answer -> answer.result().success()), "every call was sent and answered");
    List<Long> sent = stripe.sentAt();
    assertEquals(90, sent.size());
    assertFalse(metrics.scrape().contains("reason=\"budget_unreachable\""), "every call went with a token");
    // The k-th call (from 0) may go no earlier than (k + 1 - burst) / rate seconds after the first token was taken.
    for (int k = burst; k < sent.size(); k++) {
      long earliestMs = (k + 1 - burst) * 1000L / rate;
      long atMs = TimeUnit.NANOSECONDS.toMillis(sent.get(k) - started);
      assertTrue(atMs >= earliestMs - 1, "call " + k + " went " + atMs + " ms in, before its token was due at "
          + earliestMs + " ms");
    }
  }

  @Test
  void callThatWouldWaitLongerThanAllowedIsNotSentAndSaysWhy(TestRedis redis) {
    RecordingStripe stripe = new RecordingStripe(secretKey);
    FlowMetrics metrics = new FlowMetrics();
    StripeClient client = budgeted(redis, stripe, 1, 1, 200, metrics);

    assertTrue(client.send(call(null)).await().success());
    StripeAnswer refused = client.send(call(null)).await();

    assertEquals(1, stripe.sentAt().size(), "the second call never reached Stripe");
    assertFalse(refused.success());
    assertTrue(refused.retryable(), "the retry policy may send it again later");
    assertFalse(refused.outcomeUnknown(), "it was never sent, so its outcome is known");
    assertEquals("rate_limit_error", refused.error().getString("type"));
    assertEquals("rate_budget_exhausted", refused.error().getString("code"));
    assertTrue(refused.error().getString("message").contains("stripe.rateLimit.maxWaitMs"), refused.error().encode());
    assertTrue(refused.retryAfterSeconds() >= 1);
    assertTrue(metrics.scrape().contains("flowpay_stripe_rate_refused_total{reason=\"wait_too_long\"} 1.0"),
        metrics.scrape());
  }

  @Test
  void heldCallIsRetriedAndCountedAsNotSentNotAsACallWithoutAnswer(TestRedis redis) {
    RecordingStripe stripe = new RecordingStripe(secretKey);
    FlowMetrics metrics = new FlowMetrics();
    StripeOptions retries = new StripeOptions().withRetries(2, 10, 5_000, 10_000);
    StripeClient client = new RetryingStripeClient(vertx, budgeted(redis, stripe, 1, 1, 200, metrics), retries, metrics);

    Future<StripeAnswer> first = client.send(call(null));
    Future<StripeAnswer> second = client.send(call(null));  // asks at once: one of the two is held
    assertTrue(first.await().success());
    assertTrue(second.await().success(), "held once, then sent with the next second's token");

    assertEquals(2, stripe.sentAt().size());
    String scraped = metrics.scrape();
    assertTrue(scraped.contains("flowpay_stripe_calls_total{resource=\"payment_intents\",status=\"200\"} 2.0"), scraped);
    assertFalse(scraped.contains("no_answer"), "nothing went out without an answer: " + scraped);
    assertTrue(scraped.contains("flowpay_stripe_retries_total{resource=\"payment_intents\",status=\"not_sent\"} 1.0"),
        scraped);
  }

  /**
   * A token is late when the process came to it late (a stall while it waited), not when Redis was slow to grant
   * it: counted from the request, a busy Redis made every token late, and each call then spent a second one (here,
   * with one token a second, the call was refused).
   */
  @Test
  void aSlowGrantFromRedisIsNotALateToken(TestRedis redis) throws Exception {
    RecordingStripe stripe = new RecordingStripe(secretKey);
    FlowMetrics metrics = new FlowMetrics();
    try (RespProxy slow = new RespProxy(redis.url())) {
      // a call may wait 1 s for its token: the re-ask a late token makes would come within that (and be refused)
      StripeClient client = budgeted(new TestRedis(slow.url()), stripe, 1, 1, 1_000, metrics);
      assertTrue(client.send(call("acct_warm")).await().success(), "connected, the script loaded: another bucket");
      slow.hold();
      Future<StripeAnswer> answer = client.send(call(null));
      slow.awaitHeld(1);
      vertx.timer(3 * BudgetedStripeClient.LATE_MS).await();  // Redis answers this late
      slow.forward();

      assertTrue(answer.await().success(), "sent on the token Redis granted late: " + answer.await().body());
      assertEquals(2, stripe.sentAt().size());
      assertFalse(metrics.scrape().contains("late_token"), metrics.scrape());
    }
  }

  @Test
  void eachConnectedAccountHasItsOwnBucket(TestRedis redis) {
    RecordingStripe stripe = new RecordingStripe(secretKey);
    StripeClient client = budgeted(redis, stripe, 1, 1, 0);

    assertTrue(client.send(call(null)).await().success(), "the platform's one token");
    assertTrue(client.send(call("acct_A")).await().success(), "acct_A's own token");
    assertTrue(client.send(call("acct_B")).await().success(), "acct_B's own token");
    assertFalse(client.send(call("acct_A")).await().success(), "acct_A has spent its token");
    assertEquals(3, stripe.sentAt().size());
  }

  @Test
  void redisHoldsAHashOfTheKeyNeverTheKey(TestRedis redis) {
    RecordingStripe stripe = new RecordingStripe(secretKey);
    budgeted(redis, stripe, 5, 5, 0).send(call("acct_C")).await();

    Response keys = client(redis).send(Request.cmd(Command.KEYS).arg("flowpay:rate:*")).await();
    List<String> names = new ArrayList<>();
    keys.forEach(key -> names.add(key.toString()));
    String account = StripeAccount.ofSecretKey(secretKey).id();
    assertTrue(names.contains("flowpay:rate:" + account + ":acct_C"), names.toString());
    assertTrue(names.stream().noneMatch(name -> name.contains(secretKey.substring(8))), names.toString());
  }

  @Test
  void answers429AreCountedByResource(TestRedis redis) {
    RecordingStripe stripe = new RecordingStripe(secretKey).answering(429);
    FlowMetrics metrics = new FlowMetrics();
    StripeAnswer answer = budgeted(redis, stripe, 10, 10, 0, metrics).send(call(null)).await();

    assertEquals(429, answer.httpStatus());
    assertTrue(metrics.scrape().contains("flowpay_stripe_429_total{resource=\"payment_intents\"} 1.0"), metrics.scrape());
    assertTrue(metrics.scrape().contains("flowpay_stripe_rate_wait_seconds_count 1"), metrics.scrape());
  }

  private StripeClient budgeted(TestRedis redis, StripeClient stripe, int rate, int burst, int maxWaitMs) {
    return budgeted(redis, stripe, rate, burst, maxWaitMs, new FlowMetrics());
  }

  private StripeClient budgeted(TestRedis redis, StripeClient stripe, int rate, int burst, int maxWaitMs,
      FlowMetrics metrics) {
    StripeOptions options = new StripeOptions().withRateLimit(new StripeRateLimit(rate, burst, maxWaitMs, 1_000));
    StripeClient client = BudgetedStripeClient.wrap(vertx, stripe, options, client(redis), metrics);
    assertTrue(client instanceof BudgetedStripeClient, "the budget is on");
    return client;
  }

  private Redis client(TestRedis redis) {
    Redis client = Redis.createClient(vertx, new io.vertx.redis.client.RedisOptions().setConnectionString(redis.url()));
    clients.add(client);
    return client;
  }

  private static Call call(String connectedAccount) {
    String id = Ids.newId();
    return new Call(id, "POST", "/v1/payment_intents", new JsonObject().put("amount", 100), "key-" + id,
        "done", "failed", null, connectedAccount, null);
  }

  /** Answers every call at once (200, or a set status), noting when it came. */
  private static final class RecordingStripe implements StripeClient {
    private final StripeAccount account;
    private final List<Long> sentAt = Collections.synchronizedList(new ArrayList<>());
    private int status = 200;

    RecordingStripe(String secretKey) {
      this.account = StripeAccount.ofSecretKey(secretKey);
    }

    RecordingStripe answering(int newStatus) {
      status = newStatus;
      return this;
    }

    @Override
    public Future<StripeAnswer> send(Call call) {
      sentAt.add(System.nanoTime());
      JsonObject body = status == 200 ? new JsonObject().put("id", "pi_1") : new JsonObject()
          .put("error", new JsonObject().put("type", "rate_limit_error"));
      return Future.succeededFuture(new StripeAnswer(status == 200, status, body, "req_1"));
    }

    @Override
    public StripeAccount account() {
      return account;
    }

    List<Long> sentAt() {
      synchronized (sentAt) {
        return sentAt.stream().sorted().toList();
      }
    }
  }
}
