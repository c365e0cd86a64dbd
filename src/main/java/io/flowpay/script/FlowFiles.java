package io.flowpay.script;

import io.flowpay.flow.FlowNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where flow {@code a/b} lives: {@code <dir>/a/b.js}, shown to people as given ({@code flows/a/b.js}),
 * unless an uploaded version shadows the file ({@link UploadedFlows}).
 */
record FlowFiles(Path dir, UploadedFlows uploaded) {

  FlowFiles(Path dir) {
    this(dir, new UploadedFlows());
  }

  /** Whether the flow has an uploaded version or a file. */
  boolean exists(String flow) {
    return uploaded.get(flow) != null || Files.isRegularFile(path(flow));
  }

  /** Every flow with a file or an uploaded version, sorted. */
  List<String> names() throws IOException {
    java.util.TreeSet<String> names = new java.util.TreeSet<>(uploaded.names());
    if (Files.isDirectory(dir)) {
      list().forEach(file -> names.add(nameOf(file)));
    }
    return List.copyOf(names);
  }

  Path path(String flow) {
    return dir.resolve(flow + ".js");
  }

  /** The file name error messages and stack lines carry. */
  String display(String flow) {
    return dir + "/" + flow + ".js";
  }

  /** Every {@code *.js} under the directory but flow tests ({@code *.test.js}), sorted. */
  List<Path> list() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(file -> isFlowFile(file) && Files.isRegularFile(file)).sorted().toList();
    }
  }

  /** A {@code .js} file that is not a flow test ({@link FlowNames#isFlowFile}). */
  static boolean isFlowFile(Path file) {
    return FlowNames.isFlowFile(file);
  }

  /** The flow name a file under the directory would have: {@code a/b} for {@code <dir>/a/b.js}. */
  String nameOf(Path file) {
    String relative = dir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    return relative.substring(0, relative.length() - ".js".length());
  }
}
