package io.flowpay.bench;

import io.flowpay.config.FlowpayOptions;
import io.flowpay.flow.Caller;
import io.flowpay.flow.Placement;
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
import java.util.List;

/**
 * The bench's driver for {@code --processes}: it serves no worker. It starts each chain through Redis
 * ({@code RedisTaskQueue.start}, as {@link FlowpayLoad} does) on the worker id its context is placed on
 * among the pool's ids, so the hops spread over the serve processes as their leases do; a hop is done
 * when its response flow's dispatch reaches the sink stream, which no process serves and the bench reads.
 */
final class FleetLoad implements Load {

  private static final long DRAIN_MS = 30_000;
  private static final int MAX_STARTING = 256;
  private static final long RETRY_MS = 10;

  private final Vertx vertx = Vertx.vertx();
  private final List<String> ids;
  private final String sink;
  private final String run;
  private final FlowpayNode node;
  private final RedisConnection sinkReader;
  private final ArrayDeque<Integer> waiting = new ArrayDeque<>();
  private volatile ClosedLoop loop;
  private volatile String contextPrefix = "";
  private volatile boolean closed;
  private String lastId = "0-0";
  private int starting;

  /**
   * @param ids the pool's worker ids, which the serve processes share
   * @param sink the worker id the bench flows dispatch {@code bench_done} to
   * @param run tells this run's contexts apart from any other's
   */
  FleetLoad(io.flowpay.config.RedisOptions redis, List<String> ids, String sink, String run) {
    FlowpayOptions options = new FlowpayOptions().withRedis(redis).withWorkers(ids);
    this.ids = List.copyOf(ids);
    this.sink = sink;
    this.run = run;
    this.node = FlowpayNode.connect(vertx, options).await();
    this.sinkReader = node.newReadClient(options).connect().await();
    readSink();
  }

  @Override
  public void start(int inFlight, Recorder recorder) {
    contextPrefix = "f" + run + "-" + inFlight + "-";
    loop = new ClosedLoop(inFlight, recorder, this::startChain);
    loop.start();
  }

  @Override
  public void stop() {
    loop.drain(DRAIN_MS, "flowpay --processes");
  }

  /** As {@link FlowpayLoad}: at most {@link #MAX_STARTING} starts wait for Redis at once; a failed start is an error. */
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
    node.queue().start(Task.main(BenchFlows.MAIN, Placement.workerFor(context, ids), context, Caller.CLI, input))
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
