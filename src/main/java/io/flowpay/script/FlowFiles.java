package io.flowpay.script;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Where flow {@code a/b} lives: {@code <dir>/a/b.js}, shown to people as given ({@code flows/a/b.js}). */
record FlowFiles(Path dir) {

  Path path(String flow) {
    return dir.resolve(flow + ".js");
  }

  /** The file name error messages and stack lines carry. */
  String display(String flow) {
    return dir + "/" + flow + ".js";
  }

  /** Every {@code *.js} under the directory, sorted. */
  List<Path> list() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(file -> file.toString().endsWith(".js") && Files.isRegularFile(file)).sorted().toList();
    }
  }

  /** The flow name a file under the directory would have: {@code a/b} for {@code <dir>/a/b.js}. */
  String nameOf(Path file) {
    String relative = dir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    return relative.substring(0, relative.length() - ".js".length());
  }
}
