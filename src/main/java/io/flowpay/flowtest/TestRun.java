package io.flowpay.flowtest;

import io.flowpay.failure.FlowpayFailure;
import io.flowpay.queue.RedisTaskQueue;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** What every test of one {@code flowpay test} run shares: one Redis, one node, one Stripe. */
record TestRun(TestStripe stripe, Namespace namespace, Redis redis, RedisTaskQueue queue, List<String> workers,
    Path flowsDir, long timeoutMs, String apiVersion) {

  static final String TIMERS_LUA = resource("/flowtest/timers.lua");
  static final String PRELUDE = resource("/flowtest/prelude.js");

  /** The worker tests start their flows on: the config's first. */
  String worker() {
    return workers.get(0);
  }

  JsonObject fixture(String name) {
    try {
      return StripeExamples.object(name);
    } catch (FlowpayFailure unknown) {
      throw new TestFailure("fixture('" + name + "'): " + unknown.getMessage(), TestFailure.here());
    }
  }

  static String resource(String name) {
    try (InputStream in = TestRun.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is not on the classpath (it ships in the Flowpay jar)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + name, e);
    }
  }
}
