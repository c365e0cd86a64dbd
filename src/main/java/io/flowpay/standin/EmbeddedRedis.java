package io.flowpay.standin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import redis.embedded.RedisServer;

/**
 * A real redis-server process (the binary shipped in the embedded-redis jar) on a free loopback
 * port, for {@code flowpay demo} and the tests on a machine with nothing installed. By default
 * nothing is persisted: it is for trying Flowpay out, not for money.
 */
public final class EmbeddedRedis implements AutoCloseable {

  /**
   * Redis (6.2 and later) gives every new stream node 4 KB up front and keeps it while the node is its stream's last,
   * so each context's and each chain's run stream (two records, ~1.3 KB) held 4.3 KB. At 2048 a two-record stream
   * takes 2.2 KB, and a long stream of run records the same per record as at 4096 (README, "Size Redis").
   */
  public static final String STREAM_NODE_MAX_BYTES = "stream-node-max-bytes 2048";

  private final int port;
  private final Path dataDir;
  private RedisServer server;

  private EmbeddedRedis(int port, Path dataDir) {
    this.port = port;
    this.dataDir = dataDir;
  }

  /** A server that keeps nothing on disk. */
  public static EmbeddedRedis start() {
    return new EmbeddedRedis(freePort(), null).launch();
  }

  /**
   * A server that writes every change to an append-only file in {@code dataDir} before it answers
   * ({@code appendfsync always}), as production Redis for Flowpay should, so that it can be
   * {@link #restart restarted} without losing anything acknowledged.
   */
  public static EmbeddedRedis persistent(Path dataDir) {
    return new EmbeddedRedis(freePort(), dataDir).launch();
  }

  /**
   * As {@link #persistent(Path)} on {@code port} (0: a free one), creating {@code dataDir} if needed: what
   * {@code flowpay serve --local} runs, so that a restart finds the chains, contexts and dead letters it left.
   */
  public static EmbeddedRedis persistent(Path dataDir, int port) {
    try {
      java.nio.file.Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the Redis data folder " + dataDir + ": " + e.getMessage(), e);
    }
    if (port != 0) {
      try (ServerSocket probe = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
        probe.getLocalPort();
      } catch (IOException inUse) {
        throw new UncheckedIOException("port " + port + " for the embedded Redis is in use (another 'serve --local'?):"
            + " stop that, or pick another with --redis-port", inUse);
      }
    }
    return new EmbeddedRedis(port == 0 ? freePort() : port, dataDir).launch();
  }

  /** Where the data is kept, or null when nothing is. */
  public Path dataDir() {
    return dataDir;
  }

  /** Starts the server process again after {@link #stop}, on the same port (and data, when persistent). */
  public EmbeddedRedis launch() {
    try {
      var builder = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"")
          .setting(STREAM_NODE_MAX_BYTES);
      if (dataDir == null) {
        builder.setting("appendonly no");
      } else {
        builder.setting("appendonly yes").setting("appendfsync always").setting("dir " + dataDir.toAbsolutePath());
      }
      server = builder.build();
      server.start();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the embedded redis-server on port " + port
          + ": set REDIS_URL to use a Redis you run yourself", e);
    }
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  @Override
  public void close() {
    stop();
  }

  /** Stops the server process (an outage, for tests). */
  public void stop() {
    try {
      server.stop();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
