package io.flowpay.queue;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * Worker ids' leases and the pools that share them, in Redis: who serves a worker id now (one process
 * at most; every write of a worker is fenced by its lease) and which processes of a pool are alive.
 */
public final class Leases {

  private final LeaseScript lease;
  private final PoolScript pool;
  private final Redis redis;

  /** @param redis a client of its own, so that renewals never wait behind commits */
  public Leases(Redis redis) {
    QueueScope scope = QueueScope.of(redis, new Fences());
    this.redis = redis;
    this.lease = new LeaseScript(scope);
    this.pool = new PoolScript(scope);
  }

  /** Takes {@code worker}'s lease for {@code ttlMs} when nobody holds it (or {@code token} does). */
  public Future<Boolean> take(String worker, String token, long ttlMs) {
    return lease.run(LeaseScript.Action.TAKE, worker, token, ttlMs);
  }

  /** Extends the lease by {@code ttlMs}, only while {@code token} holds it. */
  public Future<Boolean> renew(String worker, String token, long ttlMs) {
    return lease.run(LeaseScript.Action.RENEW, worker, token, ttlMs);
  }

  /** Gives the lease up, only while {@code token} holds it. */
  public Future<Boolean> release(String worker, String token) {
    return lease.run(LeaseScript.Action.RELEASE, worker, token, 0);
  }

  /**
   * Who holds each of {@code workers}' leases, in order: a token, or null when nobody does. One GET per lease on one
   * connection (pipelined), not one MGET: the lease keys lie in as many slots as there are workers, and
   * vertx-redis-client 5.0's Cluster mode splits a cross-slot MGET per slot and joins the answers in no set order
   * (fixed upstream only after 5.0.10), so an MGET there put holders against the wrong worker ids.
   */
  public Future<List<String>> holders(List<String> workers) {
    return redis.connect().compose(connection -> {
      List<Future<Response>> answers = new ArrayList<>(workers.size());
      workers.forEach(worker -> answers.add(connection.send(Request.cmd(Command.GET).arg(RedisKeys.lease(worker)))));
      return Future.all(answers).<List<String>>map(all -> tokens(answers)).eventually(connection::close);
    });
  }

  private static List<String> tokens(List<Future<Response>> answers) {
    List<String> holders = new ArrayList<>(answers.size());
    answers.forEach(answer -> holders.add(answer.result() == null ? null : answer.result().toString()));
    return holders;
  }

  /** {@code process} is alive in {@code poolName} for {@code ttlMs} more; answers how many members are. */
  public Future<Integer> join(String poolName, String process, long ttlMs) {
    return pool.run(poolName, process, ttlMs, false);
  }

  /** {@code process} leaves {@code poolName}. */
  public Future<Integer> leave(String poolName, String process, long ttlMs) {
    return pool.run(poolName, process, ttlMs, true);
  }

  public Future<Void> close() {
    return redis.close();
  }
}
