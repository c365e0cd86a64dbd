package io.flowpay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The product's core does not depend on what lives beside it: the command line ({@code cli}), the benchmark
 * ({@code bench}), flow tests ({@code flowtest}) and the demo's stand-ins ({@code standin}) use the core, never
 * the other way round.
 */
class PackageDependenciesTest {

  private static final Path SOURCES = Path.of("src/main/java/io/flowpay");
  private static final List<String> CORE =
      List.of("config", "failure", "flow", "script", "stripe", "queue", "worker", "http", "metrics");
  private static final List<String> OUTSIDE =
      List.of("io.flowpay.cli.", "io.flowpay.bench.", "io.flowpay.standin.", "io.flowpay.flowtest.");

  @Test
  void corePackagesUseNeitherTheCommandLineNorTheBenchmarkNorTheStandIns() {
    List<String> uses = CORE.stream().flatMap(pkg -> sources(SOURCES.resolve(pkg)))
        .flatMap(file -> OUTSIDE.stream().filter(outside -> read(file).contains(outside))
            .map(outside -> SOURCES.relativize(file) + " uses " + outside + "*"))
        .toList();
    assertEquals(List.of(), uses);
  }

  @Test
  void theBenchmarkAndTheStandInsAreNotUsedByEachOtherExceptTheBenchmarksStripe() {
    List<String> standInUsesBench = sources(SOURCES.resolve("standin"))
        .filter(file -> read(file).contains("io.flowpay.bench.") || read(file).contains("io.flowpay.cli."))
        .map(Path::toString).toList();
    assertEquals(List.of(), standInUsesBench);
    assertTrue(sources(SOURCES.resolve("bench")).anyMatch(file -> read(file).contains("io.flowpay.standin.CannedStripe")),
        "the benchmark's Stripe is the stand-in package's CannedStripe");
  }

  private static Stream<Path> sources(Path dir) {
    assertTrue(Files.isDirectory(dir), dir + " is missing: run the test from the project folder");
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(file -> file.toString().endsWith(".java")).toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
