package io.flowpay.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.script.Bindings;
import javax.script.CompiledScript;
import javax.script.ScriptEngine;
import javax.script.ScriptException;
import org.openjdk.nashorn.api.scripting.ScriptObjectMirror;

/**
 * The durable floor: the same hop as mode {@code flowpay}, written by hand with no Flowpay code, doing the least
 * an exactly-once design needs and nothing more, so that Flowpay's cost can be put against what durability itself
 * costs. Per hop:
 * <ol>
 *   <li>the start: {@code XADD} of the task (task id, context, input) to a task stream;</li>
 *   <li>{@code XREADGROUP} (batched, blocking, on a connection of its own);</li>
 *   <li>the bench's main flow in a fresh Nashorn global (with {@code --reuse-globals}, the script thread's own) on a
 *   script thread, with {@code ctx.set} and a
 *   {@code stripe.paymentIntents.create} that records the call's form body;</li>
 *   <li>one {@code EVALSHA} commits the run: {@code GET} of the lease == this holder's token (the fence),
 *   {@code XACK} (a task acknowledged before commits nothing twice) and {@code XDEL} of the task, {@code HSET} of
 *   the state, {@code HSET} of the call into the outbox (idempotency key = task id and call index);</li>
 *   <li>the POST to the stand-in with that key;</li>
 *   <li>the response flow in a fresh global, with {@code ctx.set} and a {@code flow.dispatch} that records the
 *   task;</li>
 *   <li>one {@code EVALSHA}: the fence, {@code HDEL} of the call from the outbox (an answer handled before commits
 *   nothing twice), {@code HSET} of the state, {@code XADD} of the dispatched task to the sink stream;</li>
 *   <li>the bench reads the sink stream ({@code XREAD}, as mode {@code flowpay} does) to end the hop.</li>
 * </ol>
 * Left out, all of which Flowpay does: loading the context's state (the bench flows read none), its version check,
 * run records, chain bookkeeping, the flow's failure streak, depth limits, the sandbox's hardening prelude and its
 * reused global, per-context lanes (each context has one hop at a time here), retries and error flows (the stand-in
 * answers 200), group commit, forward streams (one slot: the sink is in the same Redis), lease renewal (the lease is
 * set once), and the recovery that the kept data allows (reclaiming pending tasks, re-sending the outbox).
 */
final class FloorLoad implements Load {

  private static final String GROUP = "floor";
  private static final String PATH = "/v1/payment_intents";
  private static final long DRAIN_MS = 30_000;
  /** Context state as JSON texts; {@code ctx.get} sees only this run's writes (the bench flows read none). */
  private static final String CTX = """
      var __writes = {};
      var ctx = {get: function (k) { return k in __writes ? JSON.parse(__writes[k]) : undefined; },
        set: function (k, v) { __writes[k] = JSON.stringify(v); }};
      """;
  private static final String MAIN_SETUP = CTX + """
      var input = JSON.parse(__input), __calls = [];
      function __form(value, name, out) {
        if (value !== null && typeof value === 'object') {
          Object.keys(value).forEach(function (k) { __form(value[k], name ? name + '[' + k + ']' : k, out); });
        } else {
          out.push(encodeURIComponent(name) + '=' + encodeURIComponent(String(value)));
        }
        return out;
      }
      var stripe = {paymentIntents: {create: function (params) {
        __calls.push(__form(params, '', []).join('&'));
        return __task + ':' + (__calls.length - 1);
      }}};
      """;
  private static final String RESPONSE_SETUP = CTX + """
      var response = JSON.parse(__answer), parsed_data = response, input = response, __dispatches = [];
      var flow = {dispatch: function (name, input, options) {
        __dispatches.push(JSON.stringify({flow: name, input: input, worker_id: options && options.worker,
          context_id: __context}));
        return '';
      }};
      """;
  /** KEYS: 1 lease, 2 context state, 3 outbox, 4 task stream. ARGV: 1 token, 2 group, 3 entry id, 4 call id, 5 call, 6.. state field, value. */
  private static final String COMMIT_MAIN = """
      if redis.call('GET', KEYS[1]) ~= ARGV[1] then
        return redis.error_reply('FENCED this holder no longer holds the lease')
      end
      if redis.call('XACK', KEYS[4], ARGV[2], ARGV[3]) == 0 then
        return 0
      end
      redis.call('XDEL', KEYS[4], ARGV[3])
      if #ARGV > 5 then
        redis.call('HSET', KEYS[2], unpack(ARGV, 6))
      end
      redis.call('HSET', KEYS[3], ARGV[4], ARGV[5])
      return 1
      """;
  /** KEYS: 1 lease, 2 context state, 3 outbox, 4 sink stream. ARGV: 1 token, 2 call id, 3 task ('': none), 4.. state field, value. */
  private static final String COMMIT_RESPONSE = """
      if redis.call('GET', KEYS[1]) ~= ARGV[1] then
        return redis.error_reply('FENCED this holder no longer holds the lease')
      end
      if redis.call('HDEL', KEYS[3], ARGV[2]) == 0 then
        return 0
      end
      if #ARGV > 3 then
        redis.call('HSET', KEYS[2], unpack(ARGV, 4))
      end
      if ARGV[3] ~= '' then
        redis.call('XADD', KEYS[4], '*', 'task', ARGV[3])
      end
      return 1
      """;

  /** A task read from the stream. */
  private record Task(String entryId, String taskId, String context, String input) {}

  /** A call committed to the outbox: {@code id} is also its idempotency key. */
  private record Call(String id, String context, String body) {}

  /** What a run asks to commit: state writes as field, value pairs, and its calls' bodies or dispatched tasks. */
  private record Effects(List<String> writes, List<String> out) {}

  private final Vertx vertx = Vertx.vertx();
  private final String prefix = "floor:{" + UUID.randomUUID().toString().substring(0, 8) + "}:";
  private final String tasks = prefix + "tasks";
  private final String sink = prefix + "sink";
  private final String outbox = prefix + "outbox";
  private final String lease = prefix + "lease";
  private final String token = UUID.randomUUID().toString();
  private final String url;
  private final WebClient web;
  private final Redis redis;
  private final Redis readClient;
  private final RedisConnection reader;
  private final RedisConnection sinkReader;
  private final WorkerExecutor scripts;
  private final ScriptEngine engine;
  private final CompiledScript mainSetup;
  private final CompiledScript mainFlow;
  private final CompiledScript responseSetup;
  private final CompiledScript responseFlow;
  private final String commitMain;
  private final String commitResponse;
  private final AtomicLong sequence = new AtomicLong();
  private final Set<Integer> concurrencies = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean firstFailure = new AtomicBoolean();
  private volatile ClosedLoop loop;
  private volatile String contextPrefix = "";
  private volatile boolean closed;
  private String lastSinkId = "0-0";

  private final boolean reuseGlobals;
  private final ThreadLocal<Bindings> reused;

  /** @param reuseGlobals one global per script thread, evaluated again for each run, instead of a fresh one */
  FloorLoad(String redisUrl, String stripeBase, int maxInFlight, boolean reuseGlobals) {
    this.reuseGlobals = reuseGlobals;
    url = stripeBase + PATH;
    web = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true).setUserAgentEnabled(false),
        new PoolOptions().setHttp1MaxSize(Modes.connections(maxInFlight)));
    redis = Redis.createClient(vertx, ByHand.redisOptions(redisUrl, 16));
    readClient = Redis.createClient(vertx, ByHand.redisOptions(redisUrl, 2));
    scripts = vertx.createSharedWorkerExecutor("bench-floor-scripts", Math.max(2, Runtime.getRuntime().availableProcessors()));
    engine = ByHand.engine();
    mainSetup = compile(MAIN_SETUP);
    mainFlow = compile(BenchFlows.main());
    responseSetup = compile(RESPONSE_SETUP);
    responseFlow = compile(BenchFlows.response("floor-sink"));
    reused = ThreadLocal.withInitial(engine::createBindings);
    commitMain = load(COMMIT_MAIN);
    commitResponse = load(COMMIT_RESPONSE);
    redis.send(Request.cmd(Command.SET).arg(lease).arg(token)).await();
    redis.send(Request.cmd(Command.XGROUP).arg("CREATE").arg(tasks).arg(GROUP).arg("$").arg("MKSTREAM")).await();
    reader = readClient.connect().await();
    sinkReader = readClient.connect().await();
    readTasks();
    readSink();
  }

  /** What every key it writes starts with ({@code tasks}, {@code sink}, {@code outbox}, {@code lease}, {@code ctx:<id>} follow). */
  String keys() {
    return prefix;
  }

  @Override
  public void start(int inFlight, Recorder recorder) {
    contextPrefix = contextPrefix(inFlight);
    concurrencies.add(inFlight);
    loop = new ClosedLoop(inFlight, recorder, this::begin);
    loop.start();
  }

  @Override
  public void stop() {
    loop.drain(DRAIN_MS, "floor");
  }

  /** Step 1: the start task into the task stream. */
  private void begin(int slot) {
    String context = contextPrefix + slot;
    String input = new JsonObject().put("order_id", context).put("amount", 2000).put("currency", "usd").encode();
    redis.send(Request.cmd(Command.XADD).arg(tasks).arg("*").arg("task_id").arg(context + ":" + sequence.incrementAndGet())
            .arg("context").arg(context).arg("input").arg(input))
        .onFailure(error -> failed(context, error));
  }

  /** Step 2: XREADGROUP for ever; each task is one hop's first half. */
  private void readTasks() {
    if (closed) {
      return;
    }
    reader.send(Request.cmd(Command.XREADGROUP).arg("GROUP").arg(GROUP).arg("c").arg("COUNT").arg(64)
            .arg("BLOCK").arg(500).arg("STREAMS").arg(tasks).arg(">"))
        .onSuccess(streams -> {
          if (streams != null) {
            streams.get(0).get(1).forEach(this::hop);
          }
          readTasks();
        })
        .onFailure(error -> complain("XREADGROUP", error));
  }

  /** Steps 3 to 7 for one task. */
  private void hop(Response entry) {
    Response fields = entry.get(1);
    Task task = new Task(entry.get(0).toString(), fields.get(1).toString(), fields.get(3).toString(), fields.get(5).toString());
    scripts.executeBlocking(() -> runMain(task), false)
        .compose(effects -> commitMain(task, effects))
        .compose(this::answer)
        .onFailure(error -> failed(task.context(), error));
  }

  /** Steps 5 to 7 for a committed call. */
  private Future<Void> answer(Call call) {
    return post(call)
        .compose(answer -> scripts.executeBlocking(() -> runResponse(call, answer), false))
        .compose(effects -> commitResponse(call, effects));
  }

  private Effects runMain(Task task) throws ScriptException {
    Bindings global = global();
    global.put("__input", task.input());
    global.put("__task", task.taskId());
    mainSetup.eval(global);
    mainFlow.eval(global);
    return effects(global, "__calls");
  }

  /** Step 4; the bench's main flow makes exactly one call, and the floor handles no other. */
  private Future<Call> commitMain(Task task, Effects effects) {
    if (effects.out().size() != 1) {
      return Future.failedFuture("the floor's main flow makes one call, not " + effects.out().size());
    }
    Call call = new Call(task.taskId() + ":0", task.context(), effects.out().get(0));
    String stored = new JsonObject().put("context_id", call.context()).put("method", "POST").put("path", PATH)
        .put("body", call.body()).encode();
    Request commit = Request.cmd(Command.EVALSHA).arg(commitMain).arg(4).arg(lease).arg(state(task.context()))
        .arg(outbox).arg(tasks).arg(token).arg(GROUP).arg(task.entryId()).arg(call.id()).arg(stored);
    effects.writes().forEach(commit::arg);
    return committed(commit).map(call);
  }

  /** Step 5. */
  private Future<String> post(Call call) {
    return web.postAbs(url)
        .putHeader("Authorization", "Bearer sk_test_flowpay_bench")
        .putHeader("Content-Type", "application/x-www-form-urlencoded")
        .putHeader("Idempotency-Key", call.id())
        .sendBuffer(Buffer.buffer(call.body()))
        .compose(FloorLoad::body);
  }

  private Effects runResponse(Call call, String answer) throws ScriptException {
    Bindings global = global();
    global.put("__answer", answer);
    global.put("__context", call.context());
    responseSetup.eval(global);
    responseFlow.eval(global);
    return effects(global, "__dispatches");
  }

  /** Step 7; the response flow dispatches at most one task (the bench's does one). */
  private Future<Void> commitResponse(Call call, Effects effects) {
    if (effects.out().size() > 1) {
      return Future.failedFuture("the floor's response flow dispatches one task, not " + effects.out().size());
    }
    Request commit = Request.cmd(Command.EVALSHA).arg(commitResponse).arg(4).arg(lease).arg(state(call.context()))
        .arg(outbox).arg(sink).arg(token).arg(call.id()).arg(effects.out().isEmpty() ? "" : effects.out().get(0));
    effects.writes().forEach(commit::arg);
    return committed(commit);
  }

  /** A commit that answers 0 found its task (or answer) handled before and wrote nothing: a failed hop here. */
  private Future<Void> committed(Request commit) {
    return redis.send(commit).compose(answer -> answer.toInteger() == 1 ? Future.succeededFuture()
        : Future.failedFuture("handled before: nothing committed twice"));
  }

  /** Step 8: XREAD of the sink stream for ever; each dispatched task ends its context's hop. */
  private void readSink() {
    if (closed) {
      return;
    }
    sinkReader.send(Request.cmd(Command.XREAD).arg("COUNT").arg(1024).arg("BLOCK").arg(500)
            .arg("STREAMS").arg(sink).arg(lastSinkId))
        .onSuccess(streams -> {
          if (streams != null) {
            streams.get(0).get(1).forEach(this::ended);
          }
          readSink();
        })
        .onFailure(error -> complain("XREAD of the sink", error));
  }

  private void ended(Response entry) {
    lastSinkId = entry.get(0).toString();
    JsonObject task = new JsonObject(entry.get(1).get(1).toString());
    finish(task.getString("context_id"), task.getJsonObject("input").getBoolean("ok"));
  }

  /** A failed hop counts as an error; the first failure's message is printed, so that a broken floor says why. */
  private void failed(String context, Throwable error) {
    if (firstFailure.compareAndSet(false, true)) {
      complain("a hop", error);
    }
    finish(context, false);
  }

  /** Ends the hop of {@code context}'s slot, unless it belongs to an earlier concurrency's loop. */
  private void finish(String context, boolean ok) {
    if (context.startsWith(contextPrefix)) {
      loop.done(Integer.parseInt(context.substring(contextPrefix.length())), ok);
    }
  }

  /**
   * A fresh global, or with {@code --reuse-globals} the script thread's own: the setup scripts declare every name a
   * run reads or writes again, and the bench flows leave nothing else behind (Flowpay proves that of a reused
   * global; the bench does not).
   */
  private Bindings global() {
    return reuseGlobals ? reused.get() : engine.createBindings();
  }

  private static Effects effects(Bindings global, String out) {
    List<String> writes = new ArrayList<>();
    ((ScriptObjectMirror) global.get("__writes")).forEach((key, value) -> {
      writes.add(key);
      writes.add((String) value);
    });
    List<String> texts = ((ScriptObjectMirror) global.get(out)).values().stream().map(String.class::cast).toList();
    return new Effects(writes, texts);
  }

  private static Future<String> body(HttpResponse<Buffer> answer) {
    return answer.statusCode() == 200 ? Future.succeededFuture(answer.bodyAsString())
        : Future.failedFuture("HTTP " + answer.statusCode());
  }

  /** Context ids of one concurrency's loop: its slots, told apart from an earlier loop's. */
  private static String contextPrefix(int inFlight) {
    return "c" + inFlight + "-";
  }

  private String state(String context) {
    return prefix + "ctx:" + context;
  }

  private void complain(String what, Throwable error) {
    if (!closed) {
      System.err.println("flowpay bench: floor: " + what + " failed: " + error.getMessage());
    }
  }

  private String load(String lua) {
    return redis.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(lua)).await().toString();
  }

  private CompiledScript compile(String source) {
    return ByHand.compile(engine, source);
  }

  @Override
  public void close() {
    closed = true;
    Request delete = Request.cmd(Command.DEL).arg(tasks).arg(sink).arg(outbox).arg(lease);
    concurrencies.forEach(inFlight -> {
      for (int slot = 0; slot < inFlight; slot++) {
        delete.arg(state(contextPrefix(inFlight) + slot));
      }
    });
    redis.send(delete).otherwiseEmpty().await();
    reader.close().otherwiseEmpty().await();
    sinkReader.close().otherwiseEmpty().await();
    vertx.close().await();
  }
}
