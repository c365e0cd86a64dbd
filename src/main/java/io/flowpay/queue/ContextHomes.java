package io.flowpay.queue;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.List;

/**
 * Finds the worker that owns a context, by its id alone (the API's {@code GET /v1/contexts/C}, the CLI's
 * {@code context}, {@code runs --retry}): a context's state and run records live under the hash tag of the
 * worker its tasks run on. Asks each worker id that has a task stream whether it holds the context (one EXISTS
 * per worker id, sent at once), in worker id order; nothing is written on a run's path to keep an index. A
 * context no worker holds is read under the keys of the layout before ({@code flowpay:ctx:C}), so data written
 * before an upgrade stays readable.
 */
public final class ContextHomes {

  private final Redis redis;
  private final QueueReader reader;

  public ContextHomes(Redis redis) {
    this.redis = redis;
    this.reader = new QueueReader(redis);
  }

  /** The worker holding {@code context} (state or run records), or null when none does. */
  public Future<String> workerOf(String context) {
    return reader.workerIds().compose(workers -> QueueReader.each(workers, worker -> redis.send(
            Request.cmd(Command.EXISTS).arg(RedisKeys.context(worker, context)))
        .compose(state -> state.toInteger() > 0 ? Future.succeededFuture(true)
            : redis.send(Request.cmd(Command.EXISTS).arg(RedisKeys.runs(worker, context))).map(runs -> runs.toInteger() > 0)))
        .map(holds -> {
          for (int i = 0; i < workers.size(); i++) {
            if (holds.get(i)) {
              return workers.get(i);
            }
          }
          return null;
        }));
  }

  /** The context's state hash: the owning worker's, or the one of the layout before. */
  public Future<String> contextKey(String context) {
    return workerOf(context).map(worker -> worker == null ? RedisKeys.legacyContext(context)
        : RedisKeys.context(worker, context));
  }

  /** The context's run records: the owning worker's, or the ones of the layout before. */
  public Future<String> runsKey(String context) {
    return workerOf(context).map(worker -> worker == null ? RedisKeys.legacyRuns(context)
        : RedisKeys.runs(worker, context));
  }
}
