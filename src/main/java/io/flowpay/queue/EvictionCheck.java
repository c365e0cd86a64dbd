package io.flowpay.queue;

import io.flowpay.failure.FlowpayFailure;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisCluster;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * Refuses a Redis that may evict keys. With {@code maxmemory} set and any {@code maxmemory-policy} but
 * {@code noeviction}, a full Redis drops keys to make room: a task, an outbox entry (a call sent to Stripe), a
 * lease or a start mark could vanish, and a payment be lost or made twice. The {@code volatile-*} policies are no
 * safer: leases and start marks have a time to live. With {@code noeviction} a full Redis refuses writes instead,
 * which Flowpay reports and retries. Checked on every master of a Cluster, through {@code INFO memory} (which
 * managed services that refuse {@code CONFIG} answer).
 */
public final class EvictionCheck {

  private static final System.Logger LOG = System.getLogger(EvictionCheck.class.getName());
  private static final String SAFE = "noeviction";

  private EvictionCheck() {}

  /**
   * Fails with a message that says what to set when a master may evict keys; warns when one would once
   * {@code maxmemory} is set; warns and goes on when {@code INFO} is refused (an ACL, say).
   *
   * @param where the Redis as the user named it (no password), for the messages
   */
  public static Future<Void> check(Redis redis, boolean cluster, String where) {
    Request info = Request.cmd(Command.INFO).arg("memory");
    Future<List<Response>> answers = cluster ? RedisCluster.create(redis).onAllMasterNodes(info)
        : redis.send(info).map(List::of);
    return answers.transform(read -> {
      if (read.failed()) {
        LOG.log(System.Logger.Level.WARNING, "could not read the eviction policy of Redis at {0} ({1}): make sure"
            + " its maxmemory-policy is noeviction, or a full Redis may drop Flowpay''s tasks and calls", where,
            read.cause().getMessage());
        return Future.succeededFuture();
      }
      List<String> evicting = new ArrayList<>();
      List<String> couldEvict = new ArrayList<>();
      for (Response answer : read.result()) {
        String text = String.valueOf(answer);
        String policy = InfoLines.value(text, "maxmemory_policy");
        if (policy == null || policy.equals(SAFE)) {
          continue;
        }
        long maxmemory = (long) InfoLines.number(text, "maxmemory");
        (maxmemory > 0 ? evicting : couldEvict).add(policy + " (maxmemory " + maxmemory + " bytes)");
      }
      if (!evicting.isEmpty()) {
        return Future.failedFuture(new FlowpayFailure(FlowpayFailure.Kind.CONFIG_INVALID, "Redis at " + where
            + " evicts keys when it is full: maxmemory-policy " + String.join(", ", evicting) + ". Flowpay's"
            + " tasks, outbox (calls sent to Stripe) and leases could vanish, and payments be lost or made twice."
            + " Set maxmemory-policy noeviction (in redis.conf, or CONFIG SET maxmemory-policy noeviction; on every"
            + " master of a Cluster): a full Redis then refuses writes, which Flowpay reports and retries; give it"
            + " the memory it needs (README, Operations: Size Redis)"));
      }
      if (!couldEvict.isEmpty()) {
        LOG.log(System.Logger.Level.WARNING, "Redis at {0} has maxmemory-policy {1}: it evicts nothing while"
            + " maxmemory is 0, but would drop Flowpay''s keys once maxmemory is set; set maxmemory-policy"
            + " noeviction", where, String.join(", ", couldEvict));
      }
      return Future.succeededFuture();
    });
  }
}
