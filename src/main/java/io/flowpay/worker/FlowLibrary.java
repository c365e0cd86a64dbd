package io.flowpay.worker;

import io.flowpay.flow.FlowNames;
import io.flowpay.flow.FlowVersion;
import io.flowpay.queue.FlowStore;
import io.flowpay.script.FlowEngine;
import io.flowpay.script.FlowFinding;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A process's flows as the API sees them: files in {@code flowsDir} and uploaded versions kept in Redis
 * ({@link FlowStore}). An uploaded version wins over the file of the same name (it shadows it). Every
 * {@link #DEFAULT_REFRESH_MS} the library reads the upload generation from Redis and, when it changed,
 * hands the current uploaded versions to the flow engine: every process runs a new version within about
 * that long; the process that took the upload runs it at once. Blocking work (reading files, checking a
 * text) runs on a worker thread, never an event loop.
 */
public final class FlowLibrary {

  /** How often each process asks Redis whether an uploaded version changed (one GET). */
  public static final long DEFAULT_REFRESH_MS = 1_000;

  private static final System.Logger LOG = System.getLogger(FlowLibrary.class.getName());

  private final Vertx vertx;
  private final Path flowsDir;
  private final FlowEngine engine;
  private final FlowStore store;
  private final long refreshMs;
  private volatile long seenGeneration = -1;
  private long timer = -1;
  private final Map<Path, FileText> read = new ConcurrentHashMap<>();

  /** Where a flow comes from now, and what it is. */
  public record Current(String flow, FlowVersion uploaded, String fileText) {

    /** {@code uploaded} or {@code file}. */
    public String source() {
      return uploaded != null ? "uploaded" : "file";
    }

    public boolean shadowsFile() {
      return uploaded != null && fileText != null;
    }

    public String text() {
      return uploaded != null ? uploaded.text() : fileText;
    }
  }

  /** What an upload did: rejected with its findings, or stored (as a new version or unchanged). */
  public record Upload(List<FlowFinding> findings, FlowStore.Put stored) {

    public boolean rejected() {
      return stored == null;
    }
  }

  public FlowLibrary(Vertx vertx, Path flowsDir, FlowEngine engine, FlowStore store, long refreshMs) {
    this.vertx = vertx;
    this.flowsDir = flowsDir;
    this.engine = engine;
    this.store = store;
    this.refreshMs = refreshMs;
  }

  /** Reads the uploaded versions once, then keeps them fresh. */
  public Future<Void> start() {
    return refresh().onComplete(done -> timer = vertx.setPeriodic(refreshMs, tick -> refresh()));
  }

  public void stop() {
    vertx.cancelTimer(timer);
  }

  /** Reads the current uploaded versions when the generation moved since the last read. */
  public Future<Void> refresh() {
    return store.generation().compose(generation -> generation == seenGeneration ? Future.succeededFuture()
        : store.current().map(current -> {
          engine.uploaded().replace(current);
          seenGeneration = generation;
          return null;
        })).<Void>mapEmpty().onFailure(error -> LOG.log(Level.WARNING, "cannot read uploaded flows from Redis,"
            + " running the versions read before: " + error.getMessage()));
  }

  /** Whether the flow has an uploaded version (as this process last read them) or a file. */
  public Future<Boolean> exists(String flow) {
    return engine.uploaded().get(flow) != null ? Future.succeededFuture(true)
        : vertx.fileSystem().exists(flowsDir.resolve(flow + ".js").toString());
  }

  /** What {@code flowpay check} finds in {@code text} as flow {@code flow}. */
  public Future<List<FlowFinding>> validate(String flow, String text) {
    return vertx.executeBlocking(() -> engine.validate(flow, text), false);
  }

  /** Every flow, with a file or an uploaded version or both, by name. */
  public Future<List<Current>> list() {
    return Future.all(store.current(), vertx.executeBlocking(this::files, false)).map(both -> {
      Map<String, FlowVersion> uploaded = both.resultAt(0);
      Map<String, String> files = both.resultAt(1);
      Map<String, Current> flows = new TreeMap<>();
      files.forEach((flow, text) -> flows.put(flow, new Current(flow, uploaded.get(flow), text)));
      uploaded.forEach((flow, version) -> flows.putIfAbsent(flow, new Current(flow, version, null)));
      return List.copyOf(flows.values());
    });
  }

  /** The flow as it runs now; null when it has neither a file nor an uploaded version. */
  public Future<Current> get(String flow) {
    return Future.all(store.current(), vertx.executeBlocking(() -> fileText(flow), false)).map(both -> {
      FlowVersion uploaded = both.<Map<String, FlowVersion>>resultAt(0).get(flow);
      String file = both.resultAt(1);
      return uploaded == null && file == null ? null : new Current(flow, uploaded, file);
    });
  }

  /** Checks {@code text}; without errors, makes it the flow's current version, uploaded by {@code by}. */
  public Future<Upload> put(String flow, String text, String by) {
    return validate(flow, text).compose(findings -> findings.stream().anyMatch(FlowFinding::isError)
        ? Future.succeededFuture(new Upload(findings, null))
        : store.put(flow, text, digest(text), by, System.currentTimeMillis())
            .compose(stored -> refresh().map(new Upload(findings, stored))));
  }

  /** Makes an earlier uploaded version current again; null when the flow has no such version. */
  public Future<FlowVersion> restore(String flow, long version, String by) {
    return store.restore(flow, version, by, System.currentTimeMillis())
        .compose(restored -> refresh().map(restored));
  }

  public FlowStore store() {
    return store;
  }

  /** {@code sha256:<hex>} of the text's UTF-8 bytes. */
  public static String digest(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every flow file's text by flow name; a file is read again only when its size or modification time moved. */
  private Map<String, String> files() throws IOException {
    Map<String, String> files = new TreeMap<>();
    if (!Files.isDirectory(flowsDir)) {
      read.clear();
      return files;
    }
    try (Stream<Path> walk = Files.walk(flowsDir)) {
      for (Path file : walk.filter(path -> FlowNames.isFlowFile(path) && Files.isRegularFile(path)).toList()) {
        String relative = flowsDir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
        files.put(relative.substring(0, relative.length() - ".js".length()), text(file));
      }
    }
    read.keySet().retainAll(files.keySet().stream().map(flow -> flowsDir.resolve(flow + ".js")).toList());
    return files;
  }

  private String text(Path file) throws IOException {
    BasicFileAttributes seen = Files.readAttributes(file, BasicFileAttributes.class);
    FileText known = read.get(file);
    if (known != null && known.size == seen.size() && known.modified.equals(seen.lastModifiedTime())) {
      return known.text;
    }
    String text = Files.readString(file);
    read.put(file, new FileText(seen.size(), seen.lastModifiedTime(), text));
    return text;
  }

  /** A flow file's text as read, with the size and modification time it had then. */
  private record FileText(long size, FileTime modified, String text) {}

  private String fileText(String flow) throws IOException {
    try {
      return Files.readString(flowsDir.resolve(flow + ".js"));
    } catch (NoSuchFileException missing) {
      return null;
    }
  }
}
