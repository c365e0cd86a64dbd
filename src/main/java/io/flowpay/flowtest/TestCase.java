package io.flowpay.flowtest;

import io.flowpay.flow.Caller;
import io.flowpay.failure.FlowpayFailure;
import io.flowpay.flow.FlowNames;
import io.flowpay.flow.Ids;
import io.flowpay.flow.Task;
import io.flowpay.queue.RedisKeys;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a flow test's {@code t} does, in Java: the prelude ({@code flowtest/prelude.js}) turns a test's calls into
 * calls of these methods, with JSON text both ways. Each action waits until the flows it set off are quiet
 * (nothing queued, running or waiting on Stripe; {@code flow.after} timers may be left), reading the chains' run
 * records as they come. Runs on a test thread, never an event loop. Public for Nashorn only.
 */
public final class TestCase {

  private static final String DEFAULT_CONTEXT = "test";
  private static final long READ_BLOCK_MS = 200;

  private final TestRun run;
  private final String test;
  private final RedisConnection reader;
  private final TestStripe.Session stripe;
  private final List<String> chains = new ArrayList<>();
  private final Map<String, String> lastRun = new LinkedHashMap<>();
  private String context = DEFAULT_CONTEXT;

  TestCase(TestRun run, String test, RedisConnection reader) {
    this.run = run;
    this.test = test;
    this.reader = reader;
    this.stripe = run.stripe().session(test);
  }

  /** The context the next actions and expectations are about, by its name in the test. */
  public void context(String name) {
    FlowNames.requireId("t.context", name);
    context = name;
  }

  public String contextId(String name) {
    return run.namespace().context(test, name == null ? context : FlowNames.requireId("context", name));
  }

  /** Sets context state before the flows run: each key to its JSON value. */
  public void given(String stateJson) {
    JsonObject state = object("t.given", stateJson);
    if (state.isEmpty()) {
      return;
    }
    Request hset = Request.cmd(Command.HSET).arg(RedisKeys.context(run.worker(), contextId(null)));
    state.forEach(entry -> hset.arg(entry.getKey()).arg(Json.encode(entry.getValue())));
    run.redis().send(hset).await();
  }

  /** How Stripe answers calls on {@code route}: {@code answerJson} is what the prelude's answer helpers build. */
  public void stripe(String route, String answerJson, int times) {
    stripe.add(Rule.of(route, object("t.stripe('" + route + "')", answerJson), times));
  }

  /** Starts {@code flow} as a main flow with {@code inputJson} in the context, and waits until it is quiet. */
  public void start(String flow, String inputJson) {
    requireFlow(flow, "t.start");
    Task task = Task.main(flow, run.worker(), contextId(null), Caller.TEST, Json.decodeValue(inputJson));
    begin(task);
  }

  /**
   * Delivers a Stripe event as the webhook endpoint would after its checks: runs {@code flow} (default
   * {@code on_<type>} with dots as underscores) with the event as input, in the context; waits until quiet.
   */
  public void event(String type, String objectJson, String flow) {
    String name = flow != null ? flow : "on_" + type.replace('.', '_');
    requireFlow(name, "t.event('" + type + "')");
    String eventId = "evt_test" + Ids.newId().substring(0, 16);
    JsonObject event = new JsonObject().put("id", eventId).put("object", "event").put("type", type)
        .put("api_version", run.apiVersion()).put("created", System.currentTimeMillis() / 1000).put("livemode", false)
        .put("data", new JsonObject().put("object", object("t.event('" + type + "')", objectJson)));
    begin(Task.event(name, run.worker(), contextId(null), event, eventId));
  }

  /** Lets {@code ms} pass for the test's timers: each one that falls due runs, in order, each waited for. */
  public void advance(double ms) {
    if (!(ms >= 0)) {
      throw new TestFailure("t.advance(" + ms + "): give a duration of 0 or more (ms, or '30s', '5m', '2h', '3d')",
          TestFailure.here());
    }
    long remaining = (long) ms;
    long deadline = System.currentTimeMillis() + run.timeoutMs();
    while (!chains.isEmpty()) {
      // A short timer may have fallen due in real time meanwhile: what it set off is waited for first.
      settle(deadline);
      long next = clock("next", 0).toLong();
      if (next < 0 || next > remaining) {
        if (next >= 0 && remaining > 0) {
          clock("shift", remaining);
        }
        return;
      }
      if (next > 0) {
        clock("shift", next);
        remaining -= next;
      }
      for (String worker : run.workers()) {
        run.queue().moveDueTimers(worker, 500).await();
      }
    }
  }

  /** The context's state as a JSON object (internal keys left out). */
  public String state(String name) {
    return run.queue().contextState(contextId(name)).await().encode();
  }

  /** The run records of every chain the test started, in order, as a JSON array. */
  public String runs() {
    JsonArray runs = new JsonArray();
    for (String chain : chains) {
      runs.addAll(run.queue().chains().runs(chain, Integer.MAX_VALUE).await());
    }
    return runs.encode();
  }

  /** The requests the flows sent to Stripe, in order; only those on {@code route} when it is not null. */
  public String calls(String route) {
    Rule filter = route == null ? null : Rule.of(route, new JsonObject().put("no_answer", true), -1);
    JsonArray calls = new JsonArray();
    stripe.requests().stream().filter(call -> filter == null || filter.matches(call.getString("method"),
        call.getString("path"))).forEach(calls::add);
    return calls.encode();
  }

  /** One of Stripe's example objects ({@code payment_intent}, {@code customer}, ...) as JSON. */
  public String fixture(String name) {
    return run.fixture(name).encode();
  }

  /** Ends the test as failed, naming the test file's line. */
  public void fail(String message) {
    throw new TestFailure(message, TestFailure.here());
  }

  void close() {
    run.stripe().forget(test);
  }

  private void begin(Task task) {
    run.queue().start(task).await();
    chains.add(task.chainId());
    lastRun.put(RedisKeys.chainRuns(task.chainId()), "0");
    settle(System.currentTimeMillis() + run.timeoutMs());
  }

  /** Waits, reading run records as they are written, until the chains have nothing pending but timers. */
  private void settle(long deadline) {
    while (true) {
      Response quiet = clock("quiet", 0);
      long pending = quiet.get(0).toLong();
      long timers = quiet.get(1).toLong();
      if (pending <= timers) {
        return;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new TestFailure("the flows were still busy after " + run.timeoutMs() + " ms: " + (pending - timers)
            + " task(s) or Stripe call(s) pending (a flow that never ends, or raise --timeout)", TestFailure.here());
      }
      Request read = Request.cmd(Command.XREAD).arg("COUNT").arg(100).arg("BLOCK").arg(READ_BLOCK_MS).arg("STREAMS");
      lastRun.keySet().forEach(read::arg);
      lastRun.values().forEach(read::arg);
      Response answer = reader.send(read).await();
      if (answer != null) {
        for (Response stream : answer) {
          Response entries = stream.get(1);
          if (entries != null && entries.size() > 0) {
            lastRun.put(stream.get(0).toString(), entries.get(entries.size() - 1).get(0).toString());
          }
        }
      }
    }
  }

  private Response clock(String mode, long ms) {
    Request eval = Request.cmd(Command.EVAL).arg(TestRun.TIMERS_LUA)
        .arg(run.workers().size() + chains.size());
    run.workers().forEach(worker -> eval.arg(RedisKeys.timers(worker)));
    chains.forEach(chain -> eval.arg(RedisKeys.chain(chain)));
    eval.arg(mode).arg(ms).arg(run.workers().size());
    chains.forEach(eval::arg);
    return run.redis().send(eval).await();
  }

  private void requireFlow(String flow, String what) {
    FlowNames.require(flow);
    if (!Files.isRegularFile(run.flowsDir().resolve(flow + ".js"))) {
      throw new TestFailure(what + ": there is no flow '" + flow + "' (no " + run.flowsDir().resolve(flow + ".js")
          + ")", TestFailure.here());
    }
  }

  private static JsonObject object(String what, String json) {
    Object value = json == null ? null : Json.decodeValue(json);
    if (!(value instanceof JsonObject object)) {
      throw new FlowpayFailure(FlowpayFailure.Kind.BAD_REQUEST, what + ": give an object, e.g. {status: 'paid'}");
    }
    return object;
  }
}
