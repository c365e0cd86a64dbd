package io.flowpay.bench;

import io.flowpay.queue.InfoLines;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A redis-server the bench started, by its pid ({@code INFO server}'s {@code process_id}): its context switches so
 * far, from {@code /proc/<pid>/status}. Voluntary ones are the server going to sleep with no work until a client
 * writes; what they cost (a wake-up, an {@code epoll_wait}, cold caches) is paid per wait, not per command, so a
 * server that waits more per hop spends more CPU per hop for the same commands.
 */
final class ServerSwitches {

  private final Path status;

  private ServerSwitches(long pid) {
    this.status = Path.of("/proc", Long.toString(pid), "status");
  }

  /** The server {@code client} talks to; only for a server started on this machine by the bench. */
  static ServerSwitches of(Redis client) {
    String info = client.send(Request.cmd(Command.INFO).arg("server")).await().toString();
    String pid = InfoLines.value(info, "process_id");
    if (pid == null) {
      throw new IllegalStateException("INFO server has no process_id");
    }
    return new ServerSwitches(Long.parseLong(pid));
  }

  /** {@code counts} with this server's context switches so far. */
  RedisCounts add(RedisCounts counts) {
    try {
      String text = Files.readString(status);
      return counts.withSwitches(field(text, "voluntary_ctxt_switches"), field(text, "nonvoluntary_ctxt_switches"));
    } catch (IOException gone) {
      throw new UncheckedIOException("cannot read " + status + " (did the redis-server stop?)", gone);
    }
  }

  static long field(String status, String name) {
    return (long) InfoLines.number(status, name);
  }
}
