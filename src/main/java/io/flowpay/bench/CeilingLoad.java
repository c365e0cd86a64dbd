package io.flowpay.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.UUID;
import javax.script.Bindings;
import javax.script.CompiledScript;
import javax.script.ScriptEngine;
import javax.script.ScriptException;

/**
 * The bare ceiling: the same work done by hand, with no Flowpay code. Per operation: a WebClient
 * POST to the stand-in → XADD of the answer → XREADGROUP (batched, on a connection of its own) → a
 * fresh Nashorn global (or with {@code --reuse-globals}, the script thread's own) evaluating the bench's response
 * flow on a script thread → XACK.
 */
final class CeilingLoad implements Load {

  private static final String GROUP = "bench";
  private static final String FORM = "amount=2000&currency=usd&metadata[order_id]=";
  private static final String SETUP = """
      var __writes = {};
      var response = JSON.parse(__answer), parsed_data = response;
      var ctx = {get: function (k) { return __writes[k]; }, set: function (k, v) { __writes[k] = JSON.stringify(v); }};
      var flow = {dispatch: function () { return ''; }};
      """;
  private static final long DRAIN_MS = 30_000;

  private final Vertx vertx = Vertx.vertx();
  private final String stream = "bench:ceiling:" + UUID.randomUUID();
  private final String url;
  private final WebClient web;
  private final Redis redis;
  private final Redis readClient;
  private final RedisConnection reader;
  private final WorkerExecutor scripts;
  private final ScriptEngine engine;
  private final CompiledScript setup;
  private final CompiledScript responseFlow;
  private volatile ClosedLoop loop;
  private volatile boolean closed;

  private final boolean reuseGlobals;
  private final ThreadLocal<Bindings> reused;

  /** @param reuseGlobals one global per script thread, evaluated again for each operation, instead of a fresh one */
  CeilingLoad(String redisUrl, String stripeBase, int maxInFlight, boolean reuseGlobals) {
    this.reuseGlobals = reuseGlobals;
    url = stripeBase + "/v1/payment_intents";
    web = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true).setUserAgentEnabled(false),
        new PoolOptions().setHttp1MaxSize(Modes.connections(maxInFlight)));
    redis = Redis.createClient(vertx, ByHand.redisOptions(redisUrl, 16));
    readClient = Redis.createClient(vertx, ByHand.redisOptions(redisUrl, 1));
    scripts = vertx.createSharedWorkerExecutor("bench-ceiling-scripts", Math.max(2, Runtime.getRuntime().availableProcessors()));
    engine = ByHand.engine();
    setup = compile(SETUP);
    responseFlow = compile(BenchFlows.response("unused"));
    reused = ThreadLocal.withInitial(engine::createBindings);
    redis.send(Request.cmd(Command.XGROUP).arg("CREATE").arg(stream).arg(GROUP).arg("$").arg("MKSTREAM")).await();
    reader = readClient.connect().await();
    read();
  }

  @Override
  public void start(int inFlight, Recorder recorder) {
    loop = new ClosedLoop(inFlight, recorder, this::post);
    loop.start();
  }

  @Override
  public void stop() {
    loop.drain(DRAIN_MS, "ceiling");
  }

  private void post(int slot) {
    web.postAbs(url)
        .putHeader("Authorization", "Bearer sk_test_flowpay_bench")
        .putHeader("Content-Type", "application/x-www-form-urlencoded")
        .putHeader("Idempotency-Key", UUID.randomUUID().toString())
        .sendBuffer(Buffer.buffer(FORM + slot))
        .compose(answer -> xadd(slot, answer))
        .onFailure(error -> loop.done(slot, false));
  }

  private Future<Response> xadd(int slot, HttpResponse<Buffer> answer) {
    if (answer.statusCode() != 200) {
      return Future.failedFuture("HTTP " + answer.statusCode());
    }
    return redis.send(Request.cmd(Command.XADD).arg(stream).arg("*").arg("slot").arg(slot)
        .arg("answer").arg(answer.bodyAsString()));
  }

  /** XREADGROUP for ever; each entry runs the response script, then is acknowledged. */
  private void read() {
    if (closed) {
      return;
    }
    reader.send(Request.cmd(Command.XREADGROUP).arg("GROUP").arg(GROUP).arg("c").arg("COUNT").arg(64)
            .arg("BLOCK").arg(500).arg("STREAMS").arg(stream).arg(">"))
        .onSuccess(streams -> {
          if (streams != null) {
            streams.get(0).get(1).forEach(this::handle);
          }
          read();
        })
        .onFailure(error -> {
          if (!closed) {
            System.err.println("flowpay bench: ceiling: XREADGROUP failed: " + error.getMessage());
          }
        });
  }

  private void handle(Response entry) {
    String id = entry.get(0).toString();
    int slot = entry.get(1).get(1).toInteger();
    String answer = entry.get(1).get(3).toString();
    scripts.executeBlocking(() -> evaluate(answer), false)
        .compose(evaluated -> redis.send(Request.cmd(Command.XACK).arg(stream).arg(GROUP).arg(id)))
        .onComplete(acked -> loop.done(slot, acked.succeeded()));
  }

  private Object evaluate(String answer) throws ScriptException {
    Bindings global = reuseGlobals ? reused.get() : engine.createBindings();
    global.put("__answer", answer);
    setup.eval(global);
    responseFlow.eval(global);
    return global.get("__writes");
  }

  private CompiledScript compile(String source) {
    return ByHand.compile(engine, source);
  }

  @Override
  public void close() {
    closed = true;
    redis.send(Request.cmd(Command.DEL).arg(stream)).otherwiseEmpty().await();
    reader.close().otherwiseEmpty().await();
    vertx.close().await();
  }
}
