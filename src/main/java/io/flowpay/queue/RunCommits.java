package io.flowpay.queue;

import io.flowpay.flow.RunResult;
import io.vertx.core.Future;
import java.util.List;

/**
 * Commits runs atomically: on success a run's effects and the acknowledgement of its task; on
 * failure only the run record and the acknowledgement; nothing when the task's flow is disabled.
 * See {@code lua/commit.lua} and its twin {@link CommitScript}.
 */
public final class RunCommits {

  private final CommitScript commit;

  RunCommits(QueueScope scope) {
    this.commit = new CommitScript(scope);
  }

  public Future<Commit> commit(Delivery delivery, Snapshot snapshot, RunResult result) {
    return commit(prepare(delivery, snapshot, result));
  }

  public Future<Commit> commit(PreparedCommit prepared) {
    return commit.run(prepared);
  }

  /**
   * Commits several runs in one round trip (one script call), each on its own: one run's conflict
   * does not stop the others. Fails as a whole only when Redis does (then some runs may have
   * committed: committing them again answers {@link Commit.Outcome#DUPLICATE}).
   */
  public Future<List<Commit>> commit(List<PreparedCommit> batch) {
    return batch.size() == 1 ? commit(batch.get(0)).map(List::of) : commit.run(batch);
  }

  /**
   * Encodes a run's commit (run record, plan, the request itself) without sending it: CPU work that
   * the script thread does right after the run, so the event loop only sends bytes.
   */
  public PreparedCommit prepare(Delivery delivery, Snapshot snapshot, RunResult result) {
    return commit.prepare(delivery, snapshot, result);
  }
}
