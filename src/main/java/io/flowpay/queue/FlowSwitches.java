package io.flowpay.queue;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.Map;

/**
 * A flow's failure streak and its switch: a flow whose runs fail too often in a row because it cannot
 * run is disabled by {@code commit.lua}; an operator enables it again.
 */
public final class FlowSwitches {

  private final Redis redis;

  FlowSwitches(QueueScope scope) {
    this.redis = scope.redis();
  }

  /** The flow's failure streak and, once disabled, when and why: what {@code flowpay flow list} shows. */
  public Future<Map<String, String>> flowState(String flow) {
    return redis.send(Request.cmd(Command.HGETALL).arg(RedisKeys.flow(flow))).map(Fields::toMap);
  }

  /** Re-enables a disabled flow and clears its failure streak. Returns false when it was not disabled. */
  public Future<Boolean> enableFlow(String flow) {
    return redis.send(Request.cmd(Command.HDEL).arg(RedisKeys.flow(flow)).arg("disabled_at").arg("failures").arg("broken"))
        .map(response -> response.toInteger() > 0);
  }

  /** Why a task of a disabled flow does not run, with the fix. */
  static String disabled(String flow, String lastError) {
    return "flow " + flow + " is disabled: it could not run too many times in a row (last error: "
        + (lastError == null || lastError.isEmpty() ? "unknown" : lastError) + "); its tasks wait in the dead-letter"
        + " stream: fix it and run 'flowpay flow enable " + flow + "', which queues them again";
  }
}
