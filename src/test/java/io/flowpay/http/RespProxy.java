package io.flowpay.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy in front of the real Redis that reads the client's commands (RESP arrays) one by one.
 * In {@link Mode#FORWARD} it passes each on and pipes Redis's answers back untouched; in
 * {@link Mode#ERROR} it answers each command with the error reply Redis itself gives in that state
 * (e.g. {@code -LOADING Redis is loading the dataset in memory}); in {@link Mode#HOLD} it keeps
 * commands (Redis is slow) until the mode changes; in {@link Mode#DROP} it closes the connection
 * (Redis went away). So the client under test meets Redis's real wire behaviour in each state;
 * only the state is chosen by the test. Switch modes only while no command is in flight, or the
 * order of answers on a connection is not Redis's.
 */
public final class RespProxy implements AutoCloseable {

  public enum Mode { FORWARD, ERROR, HOLD, DROP }

  private final ServerSocket server;
  private final String upstreamHost;
  private final int upstreamPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private Mode mode = Mode.FORWARD;
  private String error;
  private int held;

  public RespProxy(String redisUrl) throws IOException {
    URI uri = URI.create(redisUrl);
    upstreamHost = uri.getHost();
    upstreamPort = uri.getPort() < 0 ? 6379 : uri.getPort();
    server = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::accept, "resp-proxy-accept");
    accept.setDaemon(true);
    accept.start();
  }

  public String url() {
    return "redis://127.0.0.1:" + server.getLocalPort();
  }

  public synchronized void forward() {
    mode = Mode.FORWARD;
    notifyAll();
  }

  /** Every command from now on is answered {@code -<reply>}. */
  synchronized void error(String reply) {
    mode = Mode.ERROR;
    error = reply;
    notifyAll();
  }

  public synchronized void hold() {
    mode = Mode.HOLD;
  }

  synchronized void drop() {
    mode = Mode.DROP;
    notifyAll();
  }

  /** Waits until {@code count} commands are held. */
  public synchronized void awaitHeld(int count) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    while (held < count && System.currentTimeMillis() < deadline) {
      wait(deadline - System.currentTimeMillis());
    }
    if (held < count) {
      throw new AssertionError(held + " of " + count + " commands reached the proxy");
    }
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(upstreamHost, upstreamPort);
        sockets.add(client);
        sockets.add(upstream);
        start("resp-proxy-down", () -> pipe(upstream, client));
        start("resp-proxy-up", () -> commands(client, upstream));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private static void start(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
  }

  private void pipe(Socket from, Socket to) {
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      byte[] buffer = new byte[8192];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        synchronized (to) {
          out.write(buffer, 0, n);
          out.flush();
        }
      }
    } catch (IOException closed) {
      // one side went away
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private void commands(Socket client, Socket upstream) {
    try {
      InputStream in = new BufferedInputStream(client.getInputStream());
      for (byte[] command = command(in); command != null; command = command(in)) {
        String reply = decide();
        Socket to = reply == null ? upstream : client;
        OutputStream out = to.getOutputStream();
        synchronized (to) {
          out.write(reply == null ? command : ("-" + reply + "\r\n").getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      }
    } catch (IOException | InterruptedException closed) {
      // one side went away, or the proxy closed
    } finally {
      closeQuietly(client);
      closeQuietly(upstream);
    }
  }

  /** Null to forward the command, else the error reply; waits while held; throws to drop. */
  private synchronized String decide() throws InterruptedException, IOException {
    if (mode == Mode.HOLD) {
      held++;
      notifyAll();
      while (mode == Mode.HOLD) {
        wait();
      }
      held--;
    }
    if (mode == Mode.DROP) {
      throw new IOException("dropped");
    }
    return mode == Mode.ERROR ? error : null;
  }

  /** One RESP array command, bytes as sent; null at the end of the stream. */
  private static byte[] command(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    String header = line(in, bytes);
    if (header == null) {
      return null;
    }
    if (!header.startsWith("*")) {
      throw new IOException("not a RESP array: " + header);
    }
    int parts = Integer.parseInt(header.substring(1));
    for (int i = 0; i < parts; i++) {
      String bulk = line(in, bytes);
      int length = Integer.parseInt(bulk.substring(1));
      bytes.write(in.readNBytes(length + 2));
    }
    return bytes.toByteArray();
  }

  private static String line(InputStream in, ByteArrayOutputStream bytes) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c >= 0; c = in.read()) {
      bytes.write(c);
      if (c == '\n') {
        return line.toString().stripTrailing();
      }
      line.append((char) c);
    }
    return null;
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing
    }
  }

  @Override
  public synchronized void close() throws IOException {
    mode = Mode.DROP;
    notifyAll();
    server.close();
    for (Socket socket : sockets) {
      closeQuietly(socket);
    }
  }
}
