package io.flowpay.queue;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;

/**
 * What an autoscaler needs of one worker: tasks in its stream not yet done (a committed task is deleted from
 * the stream, so its length is the tasks handed out and not committed plus those not read yet), and how long
 * the oldest of them has been there, by Redis's clock. One round trip of three reads.
 *
 * @param length pending + unread tasks of the worker's stream
 * @param oldestAgeMs age of the oldest of them, 0 when there is none
 */
public record Backlog(long length, long oldestAgeMs) {

  static Future<Backlog> read(Redis redis, String worker) {
    String tasks = RedisKeys.tasks(worker);
    return redis.batch(List.of(Request.cmd(Command.XLEN).arg(tasks),
            Request.cmd(Command.XRANGE).arg(tasks).arg("-").arg("+").arg("COUNT").arg(1),
            Request.cmd(Command.TIME)))
        .map(answers -> new Backlog(answers.get(0).toLong(), ageMs(answers.get(1), answers.get(2))));
  }

  private static long ageMs(Response oldest, Response time) {
    if (oldest == null || oldest.size() == 0) {
      return 0;
    }
    long now = time.get(0).toLong() * 1000 + time.get(1).toLong() / 1000;
    String id = oldest.get(0).get(0).toString();
    int dash = id.indexOf('-');
    return Math.max(0, now - Long.parseLong(dash < 0 ? id : id.substring(0, dash)));
  }
}
