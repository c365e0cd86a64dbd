package io.flowpay.queue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads for operators (the CLI's {@code workers} and {@code runs}, the console): where a worker's stream stands,
 * which workers exist, recent run records across contexts. Reads only; nothing here is on a run's path.
 */
public final class QueueReader {

  private static final int READS_AT_ONCE = 64;
  /** Reads over every worker id ({@link #each}) at once at most. */
  static final int PER_WORKER_AT_ONCE = 8;

  /** Every context's run records: of each worker, and of the layout before ({@link RedisKeys#legacyRuns}). */
  private static final List<String> RUNS = List.of(RedisKeys.runs("*", "*"), RedisKeys.legacyRuns("*"));
  private static final int SCAN_COUNT = 500;

  private final Redis redis;

  public QueueReader(Redis redis) {
    this.redis = redis;
  }

  /** The worker's stream, outbox, timers, dead letters and consumers, in one round trip and one for consumers. */
  public Future<WorkerStats> worker(String worker) {
    String tasks = RedisKeys.tasks(worker);
    List<Request> reads = List.of(Request.cmd(Command.XLEN).arg(tasks),
        Request.cmd(Command.XRANGE).arg(tasks).arg("-").arg("+").arg("COUNT").arg(1),
        Request.cmd(Command.HLEN).arg(RedisKeys.outbox(worker)),
        Request.cmd(Command.ZCARD).arg(RedisKeys.timers(worker)),
        Request.cmd(Command.XLEN).arg(RedisKeys.dead(worker)),
        Request.cmd(Command.TIME));
    return redis.batch(reads).compose(answers -> consumers(worker).map(consumers -> {
      long now = answers.get(5).get(0).toLong() * 1000 + answers.get(5).get(1).toLong() / 1000;
      Response oldest = answers.get(1);
      long age = oldest.size() == 0 ? 0 : Math.max(0, now - idMillis(oldest.get(0).get(0).toString()));
      long pending = consumers.stream().mapToLong(WorkerStats.Consumer::pending).sum();
      return new WorkerStats(worker, answers.get(0).toLong(), pending, age, answers.get(2).toLong(),
          answers.get(3).toLong(), answers.get(4).toLong(), consumers);
    }));
  }

  /** The consumers of the worker's group; none when the stream or group does not exist yet. */
  public Future<List<WorkerStats.Consumer>> consumers(String worker) {
    Request info = Request.cmd(Command.XINFO).arg("CONSUMERS").arg(RedisKeys.tasks(worker)).arg(RedisKeys.GROUP);
    return redis.send(info).map(QueueReader::toConsumers)
        .recover(error -> String.valueOf(error.getMessage()).contains("NOGROUP")
            || String.valueOf(error.getMessage()).contains("no such key")
            ? Future.succeededFuture(List.of()) : Future.failedFuture(error));
  }

  private static List<WorkerStats.Consumer> toConsumers(Response response) {
    List<WorkerStats.Consumer> consumers = new ArrayList<>();
    for (Response item : response) {
      Map<String, String> fields = Fields.toMap(item);
      consumers.add(new WorkerStats.Consumer(fields.get("name"), Long.parseLong(fields.getOrDefault("pending", "0")),
          Long.parseLong(fields.getOrDefault("idle", "0"))));
    }
    return consumers;
  }

  /**
   * Every worker id listed in {@link RedisKeys#workerIds}, sorted: each worker id whose stream this version made
   * or started on (a worker lists itself when it starts). One read, whatever the size of the keyspace: for gauges
   * and look-ups, which run often.
   */
  public Future<List<String>> workerIds() {
    return redis.send(Request.cmd(Command.SMEMBERS).arg(RedisKeys.workerIds())).map(listed -> {
      TreeSet<String> ids = new TreeSet<>();
      listed.forEach(id -> ids.add(id.toString()));
      return List.copyOf(ids);
    });
  }

  /**
   * As {@link #workerIds}, and the worker ids a SCAN finds task streams of (streams made before that list was
   * kept; in a Redis Cluster a SCAN sees one node). It walks the whole keyspace: for an operator's listing only.
   */
  public Future<List<String>> workerIdsWithStreams() {
    return workerIds().compose(listed -> scan("flowpay:{w:*}:tasks", "0", new TreeSet<>()).map(keys -> {
      TreeSet<String> ids = new TreeSet<>(listed);
      keys.forEach(key -> ids.add(key.substring("flowpay:{w:".length(), key.length() - "}:tasks".length())));
      return List.copyOf(ids);
    }));
  }

  /**
   * Run records of every context, newest first, started at or after {@code sinceMs}, at most {@code limit}. Walks
   * the contexts' run streams (a SCAN): an operator's look-up, not for a hot path.
   */
  public Future<List<JsonObject>> recentRuns(long sinceMs, int limit) {
    return scanAll(RUNS)
        .compose(keys -> newestOfEach(new ArrayList<>(keys), 0, sinceMs, limit, new ArrayList<>()))
        .map(entries -> {
          List<JsonObject> runs = new ArrayList<>();
          entries.forEach(entry -> runs.add(new JsonObject(entry.json())));
          runs.sort(Comparator.comparingLong((JsonObject run) -> run.getLong("started_at", 0L)).reversed());
          return runs.size() > limit ? new ArrayList<>(runs.subList(0, limit)) : runs;
        });
  }

  /** A run record as stored: the stream it is in, its entry id (commit time in ms, then a sequence), its JSON. */
  public record RunEntry(String stream, String id, String json) {}

  /** Run records of a chain committed after entry {@code afterId} ("0" for all), oldest first. */
  public Future<List<RunEntry>> chainRunsAfter(String chainId, String afterId, int count) {
    return entriesAfter(RedisKeys.chainRuns(chainId), afterId, count);
  }

  /** Run records of a context committed after entry {@code afterId}, oldest first. */
  public Future<List<RunEntry>> contextRunsAfter(String context, String afterId, int count) {
    return new ContextHomes(redis).runsKey(context).compose(key -> entriesAfter(key, afterId, count));
  }

  /**
   * Run records of every context committed at or after {@code sinceMs} (Redis's clock), at most {@code perContext}
   * of each, in no particular order. A SCAN: for operators and the console's feed, not a hot path.
   */
  public Future<List<RunEntry>> entriesSince(long sinceMs, int perContext) {
    return scanAll(RUNS)
        .compose(keys -> newestOfEach(new ArrayList<>(keys), 0, sinceMs, perContext, new ArrayList<>()));
  }

  /**
   * The newest entries of each stream in {@code keys}, {@link #READS_AT_ONCE} streams at a time: a Redis holding
   * many contexts must not flood the client's pool (whose waiting queue is bounded) with one read per context.
   */
  private Future<List<RunEntry>> newestOfEach(List<String> keys, int from, long sinceMs, int count,
      List<RunEntry> found) {
    if (from >= keys.size()) {
      return Future.succeededFuture(found);
    }
    List<String> chunk = keys.subList(from, Math.min(keys.size(), from + READS_AT_ONCE));
    List<Future<List<RunEntry>>> reads = chunk.stream()
        .map(key -> newest(key, sinceMs, count).map(response -> toEntries(key, response))).toList();
    return Future.all(reads).compose(done -> {
      reads.forEach(read -> found.addAll(read.result()));
      return newestOfEach(keys, from + READS_AT_ONCE, sinceMs, count, found);
    });
  }

  /**
   * The newest entries of one context's run stream since {@code sinceMs}; none when the key is not a stream (a
   * key of that name written by something else must not break every listing).
   */
  private Future<Response> newest(String key, long sinceMs, int count) {
    return redis.send(Request.cmd(Command.XREVRANGE).arg(key).arg("+").arg(Math.max(0, sinceMs)).arg("COUNT").arg(count))
        .recover(error -> String.valueOf(error.getMessage()).startsWith("WRONGTYPE")
            ? Future.succeededFuture(null) : Future.failedFuture(error));
  }

  /**
   * One read per item, {@link #PER_WORKER_AT_ONCE} at a time, answers in the items' order: a look-up over every
   * worker id must not flood the client's pool (whose waiting queue is bounded), and in a Redis Cluster the reads
   * go to different nodes (no one pipeline).
   */
  static <T> Future<List<T>> each(List<String> items, java.util.function.Function<String, Future<T>> read) {
    List<T> answers = new ArrayList<>(items.size());
    Future<List<T>> done = Future.succeededFuture(answers);
    for (int from = 0; from < items.size(); from += PER_WORKER_AT_ONCE) {
      List<String> chunk = items.subList(from, Math.min(items.size(), from + PER_WORKER_AT_ONCE));
      done = done.compose(so -> {
        List<Future<T>> reads = chunk.stream().map(read).toList();
        return Future.all(reads).map(all -> {
          reads.forEach(one -> answers.add(one.result()));
          return answers;
        });
      });
    }
    return done;
  }

  /** Redis's clock, in ms: stream entry ids are made from it. */
  public Future<Long> now() {
    return redis.send(Request.cmd(Command.TIME)).map(time -> time.get(0).toLong() * 1000 + time.get(1).toLong() / 1000);
  }

  private Future<List<RunEntry>> entriesAfter(String key, String afterId, int count) {
    String from = "0".equals(afterId) || "-".equals(afterId) ? "-" : "(" + afterId;
    return redis.send(Request.cmd(Command.XRANGE).arg(key).arg(from).arg("+").arg("COUNT").arg(count))
        .map(response -> toEntries(key, response));
  }

  /** XRANGE's answer as run entries; entries without a single value field (not run records) are skipped. */
  private static List<RunEntry> toEntries(String key, Response response) {
    List<RunEntry> entries = new ArrayList<>();
    if (response == null) {
      return entries;
    }
    response.forEach(entry -> {
      Response fields = entry.get(1);
      if (fields != null && fields.size() >= 2) {
        entries.add(new RunEntry(key, entry.get(0).toString(), fields.get(1).toString()));
      }
    });
    return entries;
  }

  /** The newest {@code limit} run records of a context, newest first. */
  public Future<List<JsonObject>> contextRuns(String context, int limit) {
    return new ContextHomes(redis).runsKey(context)
        .compose(key -> records(Request.cmd(Command.XREVRANGE).arg(key).arg("+").arg("-").arg("COUNT").arg(limit)));
  }

  private Future<List<JsonObject>> records(Request range) {
    return redis.send(range).map(response -> toEntries("", response).stream().map(entry -> new JsonObject(entry.json()))
        .toList());
  }

  private Future<TreeSet<String>> scanAll(List<String> matches) {
    TreeSet<String> found = new TreeSet<>();
    Future<TreeSet<String>> scanned = Future.succeededFuture(found);
    for (String match : matches) {
      scanned = scanned.compose(more -> scan(match, "0", found));
    }
    return scanned;
  }

  private Future<TreeSet<String>> scan(String match, String cursor, TreeSet<String> found) {
    Request scan = Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(match).arg("COUNT").arg(SCAN_COUNT);
    return redis.send(scan).compose(page -> {
      page.get(1).forEach(key -> found.add(key.toString()));
      String next = page.get(0).toString();
      return "0".equals(next) ? Future.succeededFuture(found) : scan(match, next, found);
    });
  }

  private static long idMillis(String streamId) {
    int dash = streamId.indexOf('-');
    return Long.parseLong(dash < 0 ? streamId : streamId.substring(0, dash));
  }
}
