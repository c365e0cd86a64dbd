package io.flowpay.worker;

import io.flowpay.queue.Delivery;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads new tasks from the worker's stream over a connection of its own (held by blocking reads),
 * as long as the worker has room for them, and hands each to admission. Reconnects with back-off
 * when the connection is lost, and makes the consumer group again when Redis lost it. Used from the
 * worker's event loop only.
 */
final class TaskReader {

  private static final System.Logger LOG = System.getLogger(TaskReader.class.getName());

  private final WorkerScope scope;
  private final Redis readClient;
  private final ContextLanes lanes;
  private final RunGate gate;
  private final Consumer<Delivery> admit;
  private RedisConnection reader;
  private boolean reading;
  /** Tasks asked for by reads on their way (the blocking read, reads riding on stored answers). */
  private int reserved;
  private boolean stopping;

  /** @param readClient a client of its own: its one connection is held by blocking reads */
  TaskReader(WorkerScope scope, Redis readClient, ContextLanes lanes, RunGate gate, Consumer<Delivery> admit) {
    this.scope = scope;
    this.readClient = readClient;
    this.lanes = lanes;
    this.gate = gate;
    this.admit = admit;
  }

  Future<RedisConnection> connect() {
    return readClient.connect().onSuccess(connection -> {
      reader = connection;
      connection.exceptionHandler(error -> readerLost(connection, error));
    });
  }

  /** Stops reading: a read on its way when the stop comes hands nothing out (its tasks stay pending). */
  void stop() {
    stopping = true;
  }

  private Future<Void> closed;

  /** Closes the reading connection and its client, once (a lost lease closes it before the stop does). */
  Future<Void> close() {
    if (closed == null) {
      closed = (reader == null ? Future.<Void>succeededFuture() : reader.close()).eventually(readClient::close);
    }
    return closed;
  }

  void readMore() {
    if (reading || stopping || reader == null || room() <= 0 || gate.holdsReads()) {
      return;
    }
    reading = true;
    int count = reserve();
    RedisConnection connection = reader;
    scope.queue().read(connection, scope.workerId(), count, scope.options().blockMs())
        .onComplete(read -> {
          reading = false;
          release(count);
        })
        .onSuccess(this::accept)
        .onFailure(error -> readFailed(connection, error));
  }

  /** Tasks this worker may still take: {@code maxInFlight} less those it holds and those asked for. */
  private int room() {
    return scope.options().maxInFlight() - lanes.held() - gate.waiting() - reserved;
  }

  /** Asks for up to {@code readBatch} tasks, within the room left; {@link #release} gives them back when read. */
  int reserve() {
    int count = stopping ? 0 : Math.max(0, Math.min(room(), scope.options().readBatch()));
    reserved += count;
    return count;
  }

  void release(int count) {
    reserved -= count;
  }

  /** Tasks read (here, or riding on stored answers): admitted, then reading goes on. */
  void accept(List<Delivery> deliveries) {
    if (stopping) {
      // A read that was waiting when the stop came: these stay pending and are claimed on the next start.
      return;
    }
    deliveries.forEach(admit);
    readMore();
  }

  private void readFailed(RedisConnection connection, Throwable error) {
    if (String.valueOf(error.getMessage()).startsWith("NOGROUP")) {
      LOG.log(System.Logger.Level.WARNING, "worker {0}: its consumer group is gone (Redis lost its data?);"
          + " creating it again", scope.workerId());
      scope.retry().retry(() -> scope.queue().ensureGroup(scope.workerId()), RedisRetry.FOREVER)
          .onComplete(again -> readMore());
      return;
    }
    readerLost(connection, error);
  }

  /** The read connection failed: reconnect with back-off for as long as it takes, then read on. */
  private void readerLost(RedisConnection lost, Throwable error) {
    if (stopping || lost != reader) {
      return;
    }
    LOG.log(System.Logger.Level.WARNING, "worker {0}: lost its Redis read connection ({1}); reconnecting",
        scope.workerId(), error.getMessage());
    reader = null;
    lost.close();
    scope.retry().retry(this::connect, RedisRetry.FOREVER)
        .compose(connected -> scope.queue().ensureGroup(scope.workerId()))
        .onSuccess(ready -> readMore());
  }
}
