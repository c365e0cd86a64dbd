package io.flowpay.queue;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import redis.embedded.core.ExecutableProvider;

/**
 * Real redis-server processes from the binary the embedded-redis jar ships (6.2.6), started with config files in
 * a test's folder, on loopback: a primary, replicas, sentinels ({@code redis-server <conf> --sentinel}). Each can
 * be killed with SIGKILL. Short sentinel timeouts, so a failover takes seconds.
 */
public final class RedisProcesses implements AutoCloseable {

  public static final String MASTER_NAME = "flowpay-test";

  private final Path dir;
  private final File binary;
  private final Vertx vertx;
  private final List<Process> processes = new ArrayList<>();

  public RedisProcesses(Path dir, Vertx vertx) {
    this.dir = dir;
    this.vertx = vertx;
    try {
      this.binary = ExecutableProvider.newJarResourceProvider().get();
    } catch (IOException e) {
      throw new UncheckedIOException("no redis-server binary in the embedded-redis jar for this machine", e);
    }
  }

  /** A running server (or sentinel) process on {@code port}. */
  public record Node(int port, Process process) {
    public String url() {
      return "redis://127.0.0.1:" + port;
    }

    /** SIGKILL, and waits until it is gone. */
    public void kill() throws InterruptedException {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  public Node primary() {
    return server(null);
  }

  /** A replica of {@code primary}, returned once its link to it is up. */
  public Node replica(Node primary) {
    Node replica = server(primary);
    await(replica, Request.cmd(Command.INFO).arg("replication"),
        info -> info.toString().contains("master_link_status:up"));
    return replica;
  }

  /** A sentinel watching {@code primary} (quorum 2, down after 1 s), returned once it answers. */
  public Node sentinel(Node primary) {
    int port = freePort();
    String conf = String.join("\n", "port " + port, "bind 127.0.0.1", "dir " + dir.toAbsolutePath(),
        "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + primary.port() + " 2",
        "sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
        "sentinel failover-timeout " + MASTER_NAME + " 3000",
        "sentinel parallel-syncs " + MASTER_NAME + " 1", "");
    Node sentinel = start(port, conf, true);
    await(sentinel, Request.cmd(Command.PING), pong -> true);
    return sentinel;
  }

  /** Waits until {@code sentinel} knows {@code others} other sentinels and {@code replicas} replicas. */
  public void awaitDiscovery(Node sentinel, int others, int replicas) {
    await(sentinel, Request.cmd(Command.SENTINEL).arg("SENTINELS").arg(MASTER_NAME), known -> known.size() >= others);
    await(sentinel, Request.cmd(Command.SENTINEL).arg("REPLICAS").arg(MASTER_NAME), known -> known.size() >= replicas);
  }

  /** The port the sentinel says the master is on now. */
  public int masterPort(Node sentinel) {
    Response address = ask(sentinel, Request.cmd(Command.SENTINEL).arg("GET-MASTER-ADDR-BY-NAME").arg(MASTER_NAME));
    return address.get(1).toInteger();
  }

  private Node server(Node primaryOf) {
    int port = freePort();
    String conf = String.join("\n", "port " + port, "bind 127.0.0.1", "dir " + dir.toAbsolutePath(), "save \"\"",
        "appendonly no", "dbfilename dump-" + port + ".rdb", primaryOf == null ? "" : "replicaof 127.0.0.1 "
            + primaryOf.port(), "");
    Node node = start(port, conf, false);
    await(node, Request.cmd(Command.PING), pong -> true);
    return node;
  }

  private Node start(int port, String conf, boolean sentinel) {
    try {
      Path file = Files.writeString(dir.resolve((sentinel ? "sentinel-" : "redis-") + port + ".conf"), conf);
      List<String> command = new ArrayList<>(List.of(binary.getAbsolutePath(), file.toAbsolutePath().toString()));
      if (sentinel) {
        command.add("--sentinel");
      }
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(dir.resolve((sentinel ? "sentinel-" : "redis-") + port + ".log").toFile()).start();
      processes.add(process);
      return new Node(port, process);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Response ask(Node node, Request request) {
    Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString(node.url())
        .setPreferredProtocolVersion(ProtocolVersion.RESP2));
    try {
      return client.send(request).await();
    } finally {
      client.close();
    }
  }

  /** Asks every 50 ms (for up to 30 s) until the answer passes. */
  private void await(Node node, Request request, Predicate<Response> ready) {
    long deadline = System.currentTimeMillis() + 30_000;
    String last = "";
    while (System.currentTimeMillis() < deadline) {
      try {
        Response answer = ask(node, request);
        if (answer != null && ready.test(answer)) {
          return;
        }
        last = String.valueOf(answer);
      } catch (Exception notYet) {
        last = notYet.getMessage();
      }
      vertx.timer(50).await();
    }
    throw new AssertionError("redis on port " + node.port() + " not ready for " + request + ": " + last);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    for (Process process : processes) {
      process.destroyForcibly();
    }
  }
}
