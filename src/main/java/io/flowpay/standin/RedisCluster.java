package io.flowpay.standin;

import java.io.BufferedInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import redis.embedded.core.ExecutableProvider;

/**
 * A Redis Cluster of primaries formed on loopback from the redis-server binary the embedded-redis jar ships
 * (6.2.6): each node a process with {@code cluster-enabled yes} in its own folder, met with {@code CLUSTER MEET},
 * the 16384 slots split evenly with {@code CLUSTER ADDSLOTS}, returned once every node says {@code cluster_state:ok}.
 * A node can be {@link #restart restarted} on its port with its {@code nodes.conf}: it comes back owning the same
 * slots, and with its data when the nodes keep an append-only file ({@link Persistence#APPEND_FSYNC_ALWAYS}, as
 * {@link #start(Path, int)} does). For tests and the bench, not for money (no replicas).
 *
 * <p>Talks to the nodes over plain sockets (RESP), so it needs no Vert.x.
 */
public final class RedisCluster implements AutoCloseable {

  public static final int SLOTS = 16384;
  private static final long READY_MS = 30_000;

  private final Path dir;
  private final Persistence persistence;
  private final File binary;
  private final List<Node> nodes = new ArrayList<>();

  /** What a node keeps on disk. */
  public enum Persistence {
    /** {@code appendonly yes}, {@code appendfsync always}: every write on disk before the answer; a restart keeps it. */
    APPEND_FSYNC_ALWAYS("appendonly yes", "appendfsync always"),
    /** Nothing (no AOF, no snapshots), as the bench's standalone Redis runs: a restarted node comes back empty. */
    NONE("appendonly no");

    private final List<String> lines;

    Persistence(String... lines) {
      this.lines = List.of(lines);
    }
  }

  /** One primary: its port (its cluster bus is port + 10000) and its process while it runs. */
  public static final class Node {
    private final int port;
    private final Path conf;
    private Process process;

    private Node(int port, Path conf) {
      this.port = port;
      this.conf = conf;
    }

    public int port() {
      return port;
    }

    public String url() {
      return "redis://127.0.0.1:" + port;
    }
  }

  private RedisCluster(Path dir, Persistence persistence) {
    this.dir = dir;
    this.persistence = persistence;
    try {
      this.binary = ExecutableProvider.newJarResourceProvider().get();
    } catch (IOException e) {
      throw new UncheckedIOException("no redis-server binary in the embedded-redis jar for this machine", e);
    }
  }

  /**
   * Starts {@code primaries} nodes with their data under {@code dir} (each write in its append-only file before it
   * is answered, so a {@link #restart} keeps it), forms the cluster, and waits until it is ok.
   */
  public static RedisCluster start(Path dir, int primaries) {
    return start(dir, primaries, Persistence.APPEND_FSYNC_ALWAYS);
  }

  /** As {@link #start(Path, int)}, the nodes keeping on disk what {@code persistence} says. */
  public static RedisCluster start(Path dir, int primaries, Persistence persistence) {
    if (primaries < 1 || primaries > SLOTS) {
      throw new IllegalArgumentException("a cluster needs 1 to " + SLOTS + " primaries (got " + primaries + ")");
    }
    RedisCluster cluster = new RedisCluster(dir, persistence);
    try {
      for (int i = 0; i < primaries; i++) {
        cluster.nodes.add(cluster.launch(cluster.newNode()));
      }
      cluster.form();
      return cluster;
    } catch (RuntimeException failed) {
      cluster.close();
      throw failed;
    }
  }

  public List<Node> nodes() {
    return List.copyOf(nodes);
  }

  /** The seed endpoints a cluster client starts from: every node's URL. */
  public List<String> endpoints() {
    return nodes.stream().map(Node::url).toList();
  }

  /**
   * Kills node {@code index} (SIGKILL: what an outage does), starts it again on the same port with its nodes.conf
   * (and its data, unless the nodes run without persistence), and waits until the whole cluster is ok again.
   */
  public void restart(int index) {
    Node node = nodes.get(index);
    kill(node);
    launch(node);
    awaitOk();
  }

  /** Kills node {@code index} (SIGKILL) and leaves it down. */
  public void kill(int index) {
    kill(nodes.get(index));
  }

  /** The slot a key hashes to (CRC16 of its hash tag, or of the key), as Redis Cluster computes it. */
  public static int slot(String key) {
    int open = key.indexOf('{');
    if (open >= 0) {
      int close = key.indexOf('}', open + 1);
      if (close > open + 1) {
        key = key.substring(open + 1, close);
      }
    }
    int crc = 0;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      crc ^= (b & 0xff) << 8;
      for (int i = 0; i < 8; i++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
      }
    }
    return (crc & 0xffff) % SLOTS;
  }

  /** The node that owns {@code slot} (slots are split in even runs, in node order). */
  public int nodeOfSlot(int slot) {
    int per = SLOTS / nodes.size();
    return Math.min(slot / per, nodes.size() - 1);
  }

  private void form() {
    Node first = nodes.get(0);
    for (Node other : nodes.subList(1, nodes.size())) {
      expectOk(first, "CLUSTER", "MEET", "127.0.0.1", String.valueOf(other.port));
    }
    int per = SLOTS / nodes.size();
    for (int i = 0; i < nodes.size(); i++) {
      int from = i * per;
      int to = i == nodes.size() - 1 ? SLOTS - 1 : from + per - 1;
      List<String> command = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
      for (int slot = from; slot <= to; slot++) {
        command.add(String.valueOf(slot));
      }
      expectOk(nodes.get(i), command.toArray(String[]::new));
    }
    awaitOk();
  }

  /** Waits until every node running says the cluster is ok, knows every node and sees every slot served. */
  private void awaitOk() {
    long deadline = System.currentTimeMillis() + READY_MS;
    String last = "";
    while (System.currentTimeMillis() < deadline) {
      boolean ok = true;
      for (Node node : nodes) {
        try {
          String info = String.valueOf(call(node, "CLUSTER", "INFO"));
          last = node.port + ": " + info.replace("\r\n", " ");
          ok &= info.contains("cluster_state:ok") && info.contains("cluster_slots_ok:" + SLOTS)
              && info.contains("cluster_known_nodes:" + nodes.size());
        } catch (UncheckedIOException notYet) {
          ok = false;
          last = node.port + ": " + notYet.getMessage();
        }
      }
      if (ok) {
        return;
      }
      untilExitOr50Ms(nodes.get(0));
    }
    throw new IllegalStateException("the Redis Cluster did not become ok within " + READY_MS + " ms: " + last);
  }

  private Node newNode() {
    int port = freePort();
    Path home = dir.resolve("node-" + port);
    try {
      Files.createDirectories(home);
      List<String> lines = new ArrayList<>(List.of("port " + port, "bind 127.0.0.1", "dir " + home.toAbsolutePath(),
          "cluster-enabled yes", "cluster-config-file nodes.conf", "cluster-node-timeout 2000",
          EmbeddedRedis.STREAM_NODE_MAX_BYTES));
      lines.addAll(persistence.lines);
      lines.add("save \"\"");
      String conf = String.join("\n", lines) + "\n";
      return new Node(port, Files.writeString(home.resolve("redis.conf"), conf));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the config of a cluster node in " + home, e);
    }
  }

  private Node launch(Node node) {
    try {
      node.process = new ProcessBuilder(binary.getAbsolutePath(), node.conf.toAbsolutePath().toString())
          .redirectErrorStream(true).redirectOutput(node.conf.resolveSibling("redis.log").toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start redis-server for a cluster node on port " + node.port, e);
    }
    long deadline = System.currentTimeMillis() + READY_MS;
    while (true) {
      try {
        if ("PONG".equals(call(node, "PING"))) {
          return node;
        }
      } catch (UncheckedIOException | IllegalStateException notYet) {
        if (System.currentTimeMillis() > deadline || !node.process.isAlive()) {
          throw new IllegalStateException("cluster node on port " + node.port + " did not start (see "
              + node.conf.resolveSibling("redis.log") + "): " + notYet.getMessage(), notYet);
        }
      }
      untilExitOr50Ms(node);
    }
  }

  private static void kill(Node node) {
    if (node.process != null) {
      try {
        node.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while stopping a cluster node", e);
      }
    }
  }

  private static void expectOk(Node node, String... command) {
    Object answer = call(node, command);
    if (!"OK".equals(answer)) {
      throw new IllegalStateException(String.join(" ", List.of(command).subList(0, 2)) + " on port " + node.port
          + " answered " + answer);
    }
  }

  /** One command over a fresh connection; the answer as a String (simple, bulk, integer) or an error thrown. */
  private static Object call(Node node, String... command) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), node.port)) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      StringBuilder request = new StringBuilder("*").append(command.length).append("\r\n");
      for (String arg : command) {
        request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
      }
      out.write(request.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      String line = line(in);
      return switch (line.charAt(0)) {
        case '+', ':' -> line.substring(1);
        case '-' -> throw new IllegalStateException(line.substring(1));
        case '$' -> {
          int length = Integer.parseInt(line.substring(1));
          yield length < 0 ? null : new String(in.readNBytes(length + 2), StandardCharsets.UTF_8).substring(0, length);
        }
        default -> line;
      };
    } catch (IOException e) {
      throw new UncheckedIOException("cluster node on port " + node.port + ": " + e.getMessage(), e);
    }
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        throw new IOException("connection closed");
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  /**
   * Between two looks at a node that is starting (nothing announces it is ready): waits on its process, so a
   * node that dies ends the wait at once and the next look says so.
   */
  private static void untilExitOr50Ms(Node node) {
    try {
      node.process.waitFor(50, java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the Redis Cluster", e);
    }
  }

  /** A free loopback port whose cluster bus port (+10000) is free too. */
  private static int freePort() {
    for (int tries = 0; tries < 100; tries++) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = socket.getLocalPort();
        if (port + 10_000 <= 65_535) {
          try (ServerSocket bus = new ServerSocket(port + 10_000, 1, InetAddress.getLoopbackAddress())) {
            return port;
          } catch (IOException busTaken) {
            // try another
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalStateException("no free port pair (port, port + 10000) on loopback for a cluster node");
  }

  @Override
  public void close() {
    nodes.forEach(RedisCluster::kill);
  }
}
