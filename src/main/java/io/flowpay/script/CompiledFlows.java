package io.flowpay.script;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.ConcurrentHashMap;
import javax.script.CompiledScript;
import javax.script.ScriptException;

/**
 * Each flow compiled once (with its loop guard), and again when its file's modified time or size
 * changes, or after the watchdog stopped a run of it.
 */
final class CompiledFlows {

  /** A compiled flow; {@code warm} once a run of it ended (Nashorn links its call sites on first use). */
  record Compiled(CompiledScript script, boolean warm) {}

  private static final class Entry {

    final CompiledScript script;
    final FileTime modified;
    final long size;
    volatile boolean warm;

    Entry(CompiledScript script, FileTime modified, long size) {
      this.script = script;
      this.modified = modified;
      this.size = size;
    }

    boolean matches(BasicFileAttributes file) {
      return modified.equals(file.lastModifiedTime()) && size == file.size();
    }
  }

  private final FlowFiles files;
  private final Sandbox sandbox;
  private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();

  CompiledFlows(FlowFiles files, Sandbox sandbox) {
    this.files = files;
    this.sandbox = sandbox;
  }

  /**
   * The compiled flow.
   *
   * @throws java.nio.file.NoSuchFileException when the flow's file does not exist
   * @throws ScriptException when it does not compile (not cached: the next call tries again)
   */
  Compiled load(String flow) throws IOException, ScriptException {
    Path file = files.path(flow);
    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
    Entry cached = cache.get(flow);
    if (cached != null && cached.matches(attributes)) {
      return new Compiled(cached.script, cached.warm);
    }
    CompiledScript script = sandbox.compileFlow(Files.readString(file), files.display(flow));
    cache.put(flow, new Entry(script, attributes.lastModifiedTime(), attributes.size()));
    return new Compiled(script, false);
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
