package io.flowpay.bench;

import io.flowpay.config.FlowpayOptions;
import io.flowpay.config.WorkerOptions;
import io.flowpay.flow.Caller;
import io.flowpay.flow.Ids;
import io.flowpay.flow.Task;
import io.flowpay.queue.RedisKeys;
import io.flowpay.stripe.WebClientStripeClient;
import io.flowpay.worker.FlowpayNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Flowpay as it runs in production: a {@link FlowpayNode} with one worker, the real
 * {@link WebClientStripeClient}, and real flows. One operation is one hop: a chain started with
 * {@code RedisTaskQueue.start} (main flow → Stripe call → answer through Redis → response flow
 * committed). The response flow's dispatch to a sink stream tells the bench the hop is done.
 */
final class FlowpayLoad implements Load {

  private static final String KEY = "sk_test_flowpay_bench";
  private static final long DRAIN_MS = 30_000;
  private static final int MAX_STARTING = 256;
  private static final long RETRY_MS = 10;

  private final Vertx vertx = Vertx.vertx();
  private final String run = Ids.newId().substring(0, 8);
  private final String worker = "bench-" + run;
  private final String sink = worker + "-done";
  private final Path flows = BenchFlows.write(sink);
  private final FlowpayNode node;
  private final RedisConnection sinkReader;
  private volatile ClosedLoop loop;
  private volatile String contextPrefix = "";
  private volatile boolean closed;
  private String lastId = "0-0";
  private final ArrayDeque<Integer> waiting = new ArrayDeque<>();
  private int starting;

  FlowpayLoad(String redisUrl, String stripeBase, int maxInFlight) {
    FlowpayOptions defaults = new FlowpayOptions();
    WorkerOptions worker = defaults.worker();
    FlowpayOptions options = defaults.withRedis(defaults.redis().withUrl(redisUrl))
        .withStripe(defaults.stripe().withApiBase(stripeBase).withMaxConnections(Modes.connections(maxInFlight)))
        .withWorker(new WorkerOptions(worker.scriptThreads(), Math.max(worker.maxInFlight(), maxInFlight),
            worker.readBatch(), worker.blockMs()))
        .withWorkers(List.of(this.worker))
        .withFlowsDir(flows);
    node = FlowpayNode.start(vertx, options, new WebClientStripeClient(vertx, options.stripe(), KEY)).await();
    sinkReader = node.newReadClient(options).connect().await();
    readSink();
  }

  @Override
  public void start(int inFlight, Recorder recorder) {
    contextPrefix = "b" + run + "-" + inFlight + "-";
    loop = new ClosedLoop(inFlight, recorder, this::startChain);
    loop.start();
  }

  @Override
  public void stop() {
    loop.drain(DRAIN_MS, "flowpay");
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
    node.queue().start(Task.main(BenchFlows.MAIN, worker, context, Caller.CLI, input))
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
    BenchFlows.delete(flows);
  }
}
