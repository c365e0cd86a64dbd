package io.flowpay.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --config FILE}, shared by every command that reads the config ({@code @Mixin}). */
final class ConfigOption {

  @Option(names = "--config", description = "Config file (default: conf/flowpay.json if present).")
  Path file;
}
