package io.flowpay.bench;

import io.flowpay.config.FlowpayOptions;
import io.flowpay.flow.Caller;
import io.flowpay.flow.Task;
import io.flowpay.queue.RedisKeys;
import io.flowpay.worker.FlowpayNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayDeque;

/**
 * A bench load of Flowpay hops: each slot of the closed loop starts a chain through Redis
 * ({@code RedisTaskQueue.start}) on the worker its context goes to ({@link #workerFor}), and a hop is done when
 * its response flow's dispatch reaches the sink stream, which no worker serves and the bench reads.
 */
abstract class ChainLoad implements Load {

  private static final long DRAIN_MS = 30_000;
  private static final int MAX_STARTING = 256;
  private static final long RETRY_MS = 10;

  final Vertx vertx = Vertx.vertx();
  private final String sink;
  private final String contextStem;
  private final String name;
  private final ArrayDeque<Integer> waiting = new ArrayDeque<>();
  private FlowpayNode node;
  private RedisConnection sinkReader;
  private volatile ClosedLoop loop;
  private volatile String contextPrefix = "";
  private volatile boolean closed;
  private String lastId = "0-0";
  private int starting;

  /**
   * @param sink the worker id the bench flows dispatch {@code bench_done} to
   * @param contextStem starts this run's context ids, telling them apart from any other run's
   * @param name what the drain's message calls this load
   */
  ChainLoad(String sink, String contextStem, String name) {
    this.sink = sink;
    this.contextStem = contextStem;
    this.name = name;
  }

  /** The worker a chain of {@code context} starts on. */
  abstract String workerFor(String context);

  /** Drives chains through {@code node} from now on, reading the sink stream with a client of {@code options}. */
  final void drive(FlowpayNode flowpay, FlowpayOptions options) {
    this.node = flowpay;
    this.sinkReader = flowpay.newReadClient(options).connect().await();
    readSink();
  }

  @Override
  public final void start(int inFlight, Recorder recorder) {
    contextPrefix = contextStem + "-" + inFlight + "-";
    loop = new ClosedLoop(inFlight, recorder, this::startChain);
    loop.start();
  }

  @Override
  public final void stop() {
    loop.drain(DRAIN_MS, name);
  }

  /**
   * Starts slot {@code slot}'s chain, as a well-behaved caller would: at most {@link #MAX_STARTING} starts wait
   * for Redis at once (the rest queue here, as callers of the API are held back by its load shedding), and a
   * start that fails counts as an error and is tried again after {@link #RETRY_MS}, not at once.
   */
  private void startChain(int slot) {
    synchronized (waiting) {
      if (starting >= MAX_STARTING) {
        waiting.add(slot);
        return;
      }
      starting++;
    }
    String context = contextPrefix + slot;
    JsonObject input = new JsonObject().put("order_id", context).put("amount", 2000).put("currency", "usd");
    node.queue().start(Task.main(BenchFlows.MAIN, workerFor(context), context, Caller.CLI, input))
        .onComplete(started -> {
          Integer next;
          synchronized (waiting) {
            starting--;
            next = waiting.poll();
          }
          if (next != null) {
            vertx.runOnContext(nothing -> startChain(next));
          }
          if (started.failed()) {
            vertx.setTimer(RETRY_MS, id -> loop.done(slot, false));
          }
        });
  }

  /** Reads the sink stream for ever: each entry is one finished hop. */
  private void readSink() {
    if (closed) {
      return;
    }
    sinkReader.send(Request.cmd(Command.XREAD).arg("COUNT").arg(1024).arg("BLOCK").arg(500)
            .arg("STREAMS").arg(RedisKeys.tasks(sink)).arg(lastId))
        .onSuccess(entries -> {
          finished(entries);
          readSink();
        })
        .onFailure(error -> {
          if (!closed) {
            System.err.println("flowpay bench: reading the sink stream failed: " + error.getMessage());
          }
        });
  }

  private void finished(Response streams) {
    if (streams == null) {
      return;
    }
    for (Response entry : streams.get(0).get(1)) {
      lastId = entry.get(0).toString();
      JsonObject task = new JsonObject(entry.get(1).get(1).toString());
      String context = task.getString("context_id");
      if (context.startsWith(contextPrefix)) {
        loop.done(Integer.parseInt(context.substring(contextPrefix.length())), task.getJsonObject("input").getBoolean("ok"));
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    node.stop().eventually(sinkReader::close).await();
    vertx.close().await();
  }
}
