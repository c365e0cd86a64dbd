package io.flowpay.script;

import io.flowpay.flow.FlowVersion;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import javax.script.CompiledScript;
import javax.script.ScriptException;

/**
 * Each flow compiled once (with its loop guard), and again when its file's modified time or size
 * changes, or after the watchdog stopped a run of it. With a {@link FlowCheck}, before a version is
 * compiled the check reads it: its findings are logged, and a version with errors is not loaded. The version compiled
 * before it, if any, keeps running; otherwise runs of the flow fail with the first error. A rejected
 * version is checked again at most once per {@link #RECHECK_MILLIS} (a flow it names may have been
 * created since).
 */
final class CompiledFlows {

  static final long RECHECK_MILLIS = 1_000;

  private static final System.Logger LOG = System.getLogger(CompiledFlows.class.getName());

  /** A compiled flow; {@code warm} once a run of it ended (Nashorn links its call sites on first use). */
  record Compiled(CompiledScript script, boolean warm) {}

  /** A version of a flow that {@link FlowCheck} found errors in: it does not load. */
  static final class Rejected extends ScriptException {

    private final String reason;

    Rejected(List<FlowFinding> errors, String file) {
      super(reason(errors), file, errors.get(0).line(), errors.get(0).column() - 1);
      this.reason = reason(errors);
    }

    private static String reason(List<FlowFinding> errors) {
      FlowFinding first = errors.get(0);
      return "not loaded, flowpay check found " + errors.size() + " error(s); first, at " + first.line() + ":"
          + first.column() + ": " + first.message() + (first.fix().isEmpty() ? "" : ": " + first.fix());
    }

    String reason() {
      return reason;
    }
  }

  /** What a file's modified time and size were when it was read, or which uploaded version it was. */
  private record Version(FileTime modified, long size, String uploaded) {

    static Version of(BasicFileAttributes file) {
      return new Version(file.lastModifiedTime(), file.size(), null);
    }

    static Version of(FlowVersion upload) {
      return new Version(null, 0, upload.version() + " " + upload.digest());
    }
  }

  private static final class Entry {

    final CompiledScript script;
    final Version version;
    volatile boolean warm;

    Entry(CompiledScript script, Version version) {
      this.script = script;
      this.version = version;
    }
  }

  private record Rejection(Version version, Rejected rejected, String findings, long checkedAt) {}

  private final FlowFiles files;
  private final Sandbox sandbox;
  private final FlowCheck check;
  private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Rejection> rejections = new ConcurrentHashMap<>();

  /** @param check reads each version before it loads; null to load every version that compiles */
  CompiledFlows(FlowFiles files, Sandbox sandbox, FlowCheck check) {
    this.files = files;
    this.sandbox = sandbox;
    this.check = check;
  }

  /**
   * The compiled flow: its current version (an uploaded one shadows the file), or the one before when
   * the current one has errors.
   *
   * @throws java.nio.file.NoSuchFileException when the flow's file does not exist
   * @throws ScriptException when it does not compile (not cached: the next call tries again), or
   *     has errors ({@link Rejected}) and no earlier version was loaded
   */
  Compiled load(String flow) throws IOException, ScriptException {
    Path file = files.path(flow);
    FlowVersion upload = files.uploaded().get(flow);
    Version version = upload != null ? Version.of(upload)
        : Version.of(Files.readAttributes(file, BasicFileAttributes.class));
    Entry cached = cache.get(flow);
    if (cached != null && cached.version.equals(version)) {
      return new Compiled(cached.script, cached.warm);
    }
    if (check == null) {
      return compile(flow, version, source(upload, file), List.of());
    }
    Rejection rejection = rejections.get(flow);
    if (rejection == null || !rejection.version().equals(version)
        || System.currentTimeMillis() - rejection.checkedAt() >= RECHECK_MILLIS) {
      String source = source(upload, file);
      List<FlowFinding> findings = check.check(file, source);
      rejection = rejection(flow, version, findings, cached != null);
      if (rejection == null) {
        return compile(flow, version, source, findings);
      }
    }
    if (cached != null) {
      return new Compiled(cached.script, cached.warm);
    }
    throw rejection.rejected();
  }

  /** An uploaded version shadows the file. */
  private static String source(FlowVersion upload, Path file) throws IOException {
    return upload != null ? upload.text() : Files.readString(file);
  }

  /** Null when the version may load; otherwise its rejection, logged when its findings are new. */
  private Rejection rejection(String flow, Version version, List<FlowFinding> findings, boolean older) {
    List<FlowFinding> errors = findings.stream().filter(FlowFinding::isError).toList();
    if (errors.isEmpty()) {
      rejections.remove(flow);
      return null;
    }
    String text = lines(findings);
    Rejection before = rejections.get(flow);
    if (before == null || !before.findings().equals(text)) {
      LOG.log(Level.WARNING, () -> files.display(flow) + " is not loaded: flowpay check found " + errors.size()
          + " error(s)" + (older ? "; the version loaded before keeps running" : "; its runs fail until it is fixed")
          + "\n" + text);
    }
    Rejection rejection = new Rejection(version, new Rejected(errors, files.display(flow)), text,
        System.currentTimeMillis());
    rejections.put(flow, rejection);
    return rejection;
  }

  private Compiled compile(String flow, Version version, String source, List<FlowFinding> warnings)
      throws ScriptException {
    CompiledScript script = sandbox.compileFlow(source, files.display(flow));
    if (!warnings.isEmpty()) {
      LOG.log(Level.INFO, () -> files.display(flow) + " loaded; flowpay check warns:\n" + lines(warnings));
    }
    cache.put(flow, new Entry(script, version));
    return new Compiled(script, false);
  }

  private static String lines(List<FlowFinding> findings) {
    return findings.stream().map(finding -> "  " + finding).collect(Collectors.joining("\n"));
  }

  /** A run of {@code script} ended: later runs of it are warm. */
  void ran(String flow, CompiledScript script) {
    Entry cached = cache.get(flow);
    if (cached != null && cached.script == script) {
      cached.warm = true;
    }
  }

  /**
   * Forgets {@code flow}'s compiled script: a watchdog stop may have cut Nashorn's work on it (linking
   * a call site, say) short, so the next run starts from a fresh compile.
   */
  void evict(String flow) {
    cache.remove(flow);
  }
}
