package io.flowpay.queue;

import io.flowpay.flow.RunRecord;
import io.flowpay.flow.Task;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A worker's dead letters: entries parked instead of run, and what operators do about them (retry,
 * drop, retry a failed run), each audited.
 */
public final class DeadLetters {

  private static final int PAGE = 500;

  private final QueueScope scope;

  DeadLetters(QueueScope scope) {
    this.scope = scope;
  }

  /**
   * Parks an entry that will not run in the worker's dead-letter stream and acknowledges it; a
   * task's chain gets a run record with status {@code dead}. Returns false when the entry had been
   * acknowledged already (nothing parked).
   *
   * @param reason {@code unreadable}, {@code deliveries}, {@code depth} or {@code flow_disabled}
   * @param error the last error, in words, with the fix where there is one
   */
  public Future<Boolean> deadLetter(Delivery delivery, String reason, String error) {
    return new DeadScript(scope).run(delivery, reason, error);
  }

  /** The worker's dead letters, oldest first, starting at {@code fromId} ("-" for the first). */
  public Future<List<DeadLetter>> deadLetters(String worker, String fromId, int count) {
    Request range = Request.cmd(Command.XRANGE).arg(RedisKeys.dead(worker)).arg(fromId).arg("+").arg("COUNT").arg(count);
    return scope.redis().send(range).map(response -> {
      List<DeadLetter> letters = new ArrayList<>();
      response.forEach(entry -> letters.add(DeadLetter.of(worker, entry)));
      return letters;
    });
  }

  /** One dead letter, or null when there is none with that id. */
  public Future<DeadLetter> deadLetter(String worker, String id) {
    Request range = Request.cmd(Command.XRANGE).arg(RedisKeys.dead(worker)).arg(id).arg(id);
    return scope.redis().send(range).map(response -> response.size() == 0 ? null : DeadLetter.of(worker, response.get(0)));
  }

  /**
   * Puts a dead task back on its worker's stream as a fresh attempt and removes the dead letter;
   * its chain counts it as pending again. Returns false when there is no such dead letter (or it
   * holds no readable task, which cannot be retried; drop it). Leaves an audit entry.
   */
  public Future<Boolean> retryDead(String worker, String id, String by) {
    return deadLetter(worker, id).compose(letter -> {
      if (letter == null || letter.task() == null) {
        return Future.succeededFuture(false);
      }
      Task task = letter.task().retried();
      return TaskStream.ensureGroup(scope.redis(), task.workerId())
          .compose(ready -> new DeadRetryScript(scope).run(worker, id, task, by));
    });
  }

  /**
   * Runs again, as a fresh attempt, the task of the newest failed (or timed out) run of task
   * {@code taskId} in context {@code contextId}, among the context's kept run records; its chain is
   * pending again. Returns the task, or null when no such failed run is kept. Leaves an audit entry.
   */
  public Future<Task> retryRun(String contextId, String taskId, String by) {
    return new ContextHomes(scope.redis()).runsKey(contextId).compose(key -> scope.redis().send(
        Request.cmd(Command.XREVRANGE).arg(key).arg("+").arg("-").arg("COUNT").arg(scope.runsPerContext())))
        .compose(records -> {
      JsonObject failed = newestFailed(records, taskId);
      if (failed == null) {
        return Future.succeededFuture(null);
      }
      Task task = RunRecord.retryOf(failed);
      return TaskStream.ensureGroup(scope.redis(), task.workerId())
          .compose(ready -> new RetryRunScript(scope).run(task, by, contextId, taskId))
          .map(entry -> task);
    });
  }

  /** The newest run record of the task, when that run failed or timed out; else null. */
  private static JsonObject newestFailed(Response records, String taskId) {
    for (Response entry : records) {
      JsonObject record = new JsonObject(entry.get(1).get(1).toString());
      if (taskId.equals(record.getString("task_id"))) {
        return Set.of("failed", "timed_out").contains(record.getString("status")) ? record : null;
      }
    }
    return null;
  }

  /**
   * Deletes a dead letter for good; its chain is no longer stuck for it. Returns false when there
   * is none. Leaves an audit entry.
   */
  public Future<Boolean> dropDead(String worker, String id, String by) {
    return deadLetter(worker, id).compose(letter -> new DeadDropScript(scope).run(worker, id, letter, by));
  }

  /**
   * Queues again every task of {@code flow} that {@code worker} parked because the flow was disabled
   * (as {@code dead retry} does, audited as by {@code by}). Returns how many.
   */
  public Future<Integer> retryParkedWhileDisabled(String worker, String flow, String by) {
    return parkedWhileDisabled(worker, flow, "-", new ArrayList<>()).compose(ids -> {
      Future<Integer> retried = Future.succeededFuture(0);
      for (String id : ids) {
        retried = retried.compose(count -> retryDead(worker, id, by).map(done -> done ? count + 1 : count));
      }
      return retried;
    });
  }

  private Future<List<String>> parkedWhileDisabled(String worker, String flow, String from, List<String> ids) {
    return deadLetters(worker, from, PAGE).compose(page -> {
      page.stream().filter(letter -> "flow_disabled".equals(letter.reason()) && letter.task() != null
          && flow.equals(letter.task().flow())).forEach(letter -> ids.add(letter.id()));
      return page.size() < PAGE ? Future.succeededFuture(ids)
          : parkedWhileDisabled(worker, flow, "(" + page.get(page.size() - 1).id(), ids);
    });
  }

  /** What operators did to the worker's dead letters, oldest first. */
  public Future<List<JsonObject>> deadAudit(String worker) {
    return scope.redis().send(Request.cmd(Command.XRANGE).arg(RedisKeys.deadAudit(worker)).arg("-").arg("+"))
        .map(response -> {
          List<JsonObject> entries = new ArrayList<>();
          response.forEach(entry -> {
            JsonObject json = new JsonObject().put("id", entry.get(0).toString());
            Fields.toMap(entry.get(1)).forEach(json::put);
            entries.add(json);
          });
          return entries;
        });
  }
}
