package io.flowpay.queue;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.List;

/**
 * Waits until {@code replicas} replicas hold every write this process made so far ({@code WAIT}), so that a
 * failover to a replica cannot lose them. {@code WAIT} covers the writes of its own connection, and a pool
 * hands out any connection: so each round writes one small key and waits on that same connection (one
 * request of two commands); replication keeps order, so a replica that has that write has every earlier one,
 * whatever connection made it.
 *
 * <p>Rounds are shared: whoever asks while a round is out joins the next one, so under load one {@code WAIT}
 * covers many commits and at most one is out per process. The answer is the number of replicas that
 * acknowledged within {@code timeoutMs}, which may be fewer than asked (a replica is down, or lagging):
 * the caller decides what that means. Each caller is answered on its own Vert.x context.
 *
 * <p>Key: {@code flowpay:replica-ack} (a timestamp, expires after a minute).
 */
public final class ReplicaAck {

  private static final String KEY = "flowpay:replica-ack";

  private final Vertx vertx;
  private final Redis redis;
  private final int replicas;
  private final long timeoutMs;
  private List<Waiter> next = new ArrayList<>();
  private boolean roundOut;

  /** @param redis a pooled client: a round holds one of its connections for up to {@code timeoutMs} */
  public ReplicaAck(Vertx vertx, Redis redis, int replicas, long timeoutMs) {
    this.vertx = vertx;
    this.redis = redis;
    this.replicas = replicas;
    this.timeoutMs = timeoutMs;
  }

  public int replicas() {
    return replicas;
  }

  /** Replicas that acknowledged every write made before this call, within the timeout. */
  public Future<Integer> acknowledged() {
    Waiter waiter = new Waiter(vertx.getOrCreateContext(), Promise.promise());
    boolean start;
    synchronized (this) {
      next.add(waiter);
      start = !roundOut;
      roundOut = true;
    }
    if (start) {
      round();
    }
    return waiter.promise.future();
  }

  private void round() {
    List<Waiter> waiters;
    synchronized (this) {
      waiters = next;
      next = new ArrayList<>();
    }
    Request mark = Request.cmd(Command.SET).arg(KEY).arg(System.currentTimeMillis()).arg("PX").arg(60_000);
    Request wait = Request.cmd(Command.WAIT).arg(replicas).arg(timeoutMs);
    redis.batch(List.of(mark, wait)).map(answers -> answers.get(1).toInteger()).onComplete(acks -> {
      waiters.forEach(waiter -> waiter.answer(acks));
      boolean again;
      synchronized (this) {
        again = !next.isEmpty();
        roundOut = again;
      }
      if (again) {
        round();
      }
    });
  }

  private record Waiter(Context context, Promise<Integer> promise) {
    void answer(AsyncResult<Integer> acks) {
      context.runOnContext(now -> promise.handle(acks));
    }
  }
}
