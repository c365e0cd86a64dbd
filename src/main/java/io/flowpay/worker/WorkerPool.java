package io.flowpay.worker;

import io.flowpay.flow.Ids;
import io.flowpay.metrics.FlowMetrics;
import io.flowpay.queue.Fences;
import io.flowpay.queue.Leases;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.redis.client.Redis;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The worker ids this process may serve, shared with every live process configured with the same
 * ids: it serves a worker id only while it holds the id's lease in Redis ({@code lua/lease.lua}),
 * and holds a fair share of them, {@code ceil(ids / live processes)}.
 *
 * <p>Every third of the lease's TTL it says it is alive (a heartbeat in the pool's sorted set,
 * {@code lua/pool.lua}), renews the leases it holds (only while its token still holds them), gives
 * up those past its share, and takes free ones while below it. Giving up drains first: the worker
 * stops reading, finishes its runs and their commits and its calls in flight, then the lease is
 * released. Taking deploys a {@link WorkerVerticle}, which claims the id's pending tasks and
 * re-sends its outbox at once (the old holder is fenced). A lease found lost stops the worker at once.
 */
final class WorkerPool extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(WorkerPool.class.getName());

  private final List<String> ids;
  private final int ttlMs;
  private final Leases leases;
  private final Fences fences;
  private final FlowMetrics metrics;
  private final Function<String, WorkerVerticle> newWorker;
  /** Who this process is, in the pool and in its lease tokens: {@code host/pid/random}, for operators. */
  private final String process = System.getenv().getOrDefault("HOSTNAME", "host") + "/"
      + ProcessHandle.current().pid() + "/" + Ids.newId().substring(0, 8);
  private final String poolName;
  /** Leases held, by worker id, in the order taken. Only touched on this verticle's event loop. */
  private final Map<String, Held> held = new LinkedHashMap<>();
  /** What {@link #serving()} reports, readable from any thread. */
  private final Map<String, Boolean> serving = new ConcurrentHashMap<>();
  private int live = 1;
  /** A heartbeat and renewal round is under way (never waits behind a rebalance: that may deploy a worker). */
  private boolean renewing;
  private boolean rebalancing;
  private boolean stopping;
  private long timer = -1;

  /** A lease this process holds, and the worker serving it. */
  private static final class Held {
    final String worker;
    final String token;
    WorkerVerticle verticle;
    String deployment;
    long renewedAt;
    boolean draining;

    Held(String worker, String token, long renewedAt) {
      this.worker = worker;
      this.token = token;
      this.renewedAt = renewedAt;
    }
  }

  /**
   * @param ids the worker ids of the pool (every process of the pool should be given the same)
   * @param redis a client for the pool alone (closed when it stops), so that renewals never wait for commits
   * @param newWorker makes the verticle that serves a worker id once its lease is held
   */
  WorkerPool(List<String> ids, int ttlMs, Redis redis, Fences fences, FlowMetrics metrics,
      Function<String, WorkerVerticle> newWorker) {
    this.ids = List.copyOf(ids);
    this.ttlMs = ttlMs;
    this.leases = new Leases(redis);
    this.fences = fences;
    this.metrics = metrics;
    this.newWorker = newWorker;
    this.poolName = name(ids);
  }

  /** The pool's name in Redis: the same for the same set of ids, in any order. */
  static String name(List<String> ids) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1")
          .digest(String.join(",", new java.util.TreeSet<>(ids)).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException missing) {
      throw new IllegalStateException(missing);
    }
  }

  /** How many leases one process holds at most: {@code ceil(ids / live)}. */
  static int share(int ids, int live) {
    return (ids + Math.max(1, live) - 1) / Math.max(1, live);
  }

  /** Joins the pool and takes its first leases before the deployment completes. */
  @Override
  public Future<?> start() {
    renewing = true;
    rebalancing = true;
    return renew()
        .compose(renewed -> rebalance())
        .onComplete(first -> {
          rebalancing = false;
          timer = vertx.setPeriodic(Math.max(100, ttlMs / 3), id -> tick());
        });
  }

  /** Drains every worker it serves, releases their leases, and leaves the pool. */
  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(timer);
    List<Future<Void>> released = new ArrayList<>();
    new ArrayList<>(held.values()).forEach(lease -> released.add(drain(lease, "this process is stopping")));
    return Future.join(released).transform(done -> leases.leave(poolName, process, ttlMs))
        .otherwiseEmpty().eventually(leases::close);
  }

  /** The worker ids this process serves now; false for one being drained. */
  Map<String, Boolean> serving() {
    return new TreeMap<>(serving);
  }

  /**
   * Every third of the TTL: the heartbeat and the renewals, then (unless one is still under way) a
   * rebalance. Renewals never wait for a rebalance, which may be starting or draining a worker.
   */
  private void tick() {
    if (renewing || stopping) {
      return;
    }
    renewing = true;
    renew().onSuccess(renewed -> {
      if (!rebalancing && !stopping) {
        rebalancing = true;
        rebalance()
            .onFailure(error -> LOG.log(System.Logger.Level.WARNING, "pool {0}: leases not balanced ({1}); trying"
                + " again in {2} ms", poolName, error.getMessage(), ttlMs / 3))
            .onComplete(done -> rebalancing = false);
      }
    });
  }

  /** The heartbeat, then every lease's renewal; never fails. */
  private Future<Void> renew() {
    return beat()
        .recover(error -> {
          LOG.log(System.Logger.Level.WARNING, "pool {0}: heartbeat not stored ({1})", poolName, error.getMessage());
          return Future.succeededFuture();
        })
        .compose(alive -> renewAll())
        .onComplete(done -> renewing = false);
  }

  private Future<Void> beat() {
    return leases.join(poolName, process, ttlMs)
        .map(members -> {
          live = Math.max(1, members);
          return null;
        });
  }

  private Future<Void> renewAll() {
    List<Future<Void>> renewed = new ArrayList<>();
    new ArrayList<>(held.values()).forEach(lease -> renewed.add(renew(lease)));
    return Future.join(renewed).mapEmpty();
  }

  /** Renews a lease while this token holds it; a lease not renewed for its whole TTL counts as lost. */
  private Future<Void> renew(Held lease) {
    long sentAt = System.nanoTime();
    return leases.renew(lease.worker, lease.token, ttlMs)
        .<Void>map(renewed -> {
          if (renewed) {
            lease.renewedAt = sentAt;
          } else {
            lost(lease, "another process holds it, or it expired before it was renewed");
          }
          return null;
        })
        .recover(error -> {
          if (System.nanoTime() - lease.renewedAt >= ttlMs * 1_000_000L) {
            lost(lease, "not renewed for its whole TTL of " + ttlMs + " ms: " + error.getMessage());
          }
          return Future.succeededFuture();
        });
  }

  private Future<Void> rebalance() {
    int share = share(ids.size(), live);
    List<Held> active = held.values().stream().filter(lease -> !lease.draining).toList();
    for (int i = share; i < active.size(); i++) {
      drain(active.get(active.size() - 1 - (i - share)), "its fair share of " + ids.size() + " worker id(s) among "
          + live + " live process(es) is " + share);
    }
    int wanted = share - held.size();
    return wanted > 0 ? takeFree(wanted) : Future.succeededFuture();
  }

  /** Takes up to {@code wanted} leases that nobody holds, starting at a place of its own among the ids. */
  private Future<Void> takeFree(int wanted) {
    return leases.holders(ids).compose(holders -> {
      List<String> free = new ArrayList<>();
      int start = Math.floorMod(process.hashCode(), ids.size());
      for (int i = 0; i < ids.size(); i++) {
        int at = (start + i) % ids.size();
        String holder = holders.get(at);
        if (holder == null && !held.containsKey(ids.get(at))) {
          free.add(ids.get(at));
        }
      }
      Future<Integer> taken = Future.succeededFuture(0);
      for (String id : free) {
        taken = taken.compose(count -> count >= wanted || stopping ? Future.succeededFuture(count)
            : take(id).map(done -> done ? count + 1 : count));
      }
      return taken.mapEmpty();
    });
  }

  /** Takes {@code worker}'s lease when nobody holds it, then starts serving it. */
  private Future<Boolean> take(String worker) {
    String token = process + "/" + Ids.newId().substring(0, 12);
    long sentAt = System.nanoTime();
    return leases.take(worker, token, ttlMs).compose(got -> {
      if (!got) {
        return Future.succeededFuture(false);
      }
      Held taken = new Held(worker, token, sentAt);
      held.put(worker, taken);
      fences.hold(worker, token);
      return serve(taken);
    });
  }

  private Future<Boolean> serve(Held lease) {
    WorkerVerticle verticle = newWorker.apply(lease.worker);
    lease.verticle = verticle;
    verticle.onLeaseLost(why -> context.runOnContext(now -> lost(lease, why)));
    return vertx.deployVerticle(verticle).map(deployment -> {
      lease.deployment = deployment;
      serving.put(lease.worker, true);
      metrics.lease(lease.worker, "taken");
      LOG.log(System.Logger.Level.INFO, "worker {0}: lease taken; serving it ({1} of {2} worker id(s) here, {3} live"
          + " process(es) in the pool)", lease.worker, held.size(), ids.size(), live);
      return true;
    }).recover(failed -> {
      LOG.log(System.Logger.Level.ERROR, "worker {0}: could not start serving it ({1}); lease given back",
          lease.worker, failed.getMessage());
      return release(lease).map(false);
    });
  }

  /**
   * Gives a lease up after the worker finished what it holds (its stop drains: no more reads, runs
   * and commits finished, calls in flight answered and stored), then releases it.
   */
  private Future<Void> drain(Held lease, String why) {
    if (lease.draining) {
      return Future.succeededFuture();
    }
    lease.draining = true;
    serving.put(lease.worker, false);
    LOG.log(System.Logger.Level.INFO, "worker {0}: giving its lease up ({1}): draining", lease.worker, why);
    Future<Void> stopped = lease.deployment == null ? Future.succeededFuture()
        : vertx.undeploy(lease.deployment).otherwiseEmpty();
    return stopped.compose(drained -> held.get(lease.worker) == lease ? release(lease) : Future.succeededFuture());
  }

  private Future<Void> release(Held lease) {
    return leases.release(lease.worker, lease.token)
        .otherwiseEmpty()
        .onComplete(done -> {
          forget(lease);
          metrics.lease(lease.worker, "released");
          LOG.log(System.Logger.Level.INFO, "worker {0}: lease released", lease.worker);
        })
        .mapEmpty();
  }

  /** The lease is lost: the worker stops at once, dropping what it holds uncommitted. */
  private void lost(Held lease, String why) {
    if (held.get(lease.worker) != lease) {
      return;
    }
    forget(lease);
    metrics.lease(lease.worker, "lost");
    LOG.log(System.Logger.Level.WARNING, "worker {0}: lease lost ({1}); this process stopped serving it",
        lease.worker, why);
    if (lease.verticle != null) {
      lease.verticle.loseLease(why);
    }
    if (lease.deployment != null) {
      vertx.undeploy(lease.deployment).onFailure(error -> LOG.log(System.Logger.Level.DEBUG,
          "worker {0}: undeploy after lost lease: {1}", lease.worker, error.getMessage()));
    }
  }

  private void forget(Held lease) {
    if (held.get(lease.worker) == lease) {
      held.remove(lease.worker);
      serving.remove(lease.worker);
    }
    fences.drop(lease.worker, lease.token);
  }
}
