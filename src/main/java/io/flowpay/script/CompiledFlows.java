package io.flowpay.script;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.ConcurrentHashMap;
import javax.script.CompiledScript;
import javax.script.ScriptException;

/** Each flow compiled once, and again when its file's modified time or size changes. */
final class CompiledFlows {

  private record Entry(CompiledScript script, FileTime modified, long size) {

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
  CompiledScript load(String flow) throws IOException, ScriptException {
    Path file = files.path(flow);
    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
    Entry cached = cache.get(flow);
    if (cached != null && cached.matches(attributes)) {
      return cached.script();
    }
    CompiledScript script = sandbox.compile(Files.readString(file), files.display(flow));
    cache.put(flow, new Entry(script, attributes.lastModifiedTime(), attributes.size()));
    return script;
  }
}
