package io.flowpay.cli;

import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --by WHO}, shared by the commands whose actions are audited ({@code @Mixin}). */
final class ActorOption {

  @Option(names = "--by", description = "Who is acting, for the audit (default: $USER).")
  String by;

  /** {@code --by}, else {@code $USER}, else {@code unknown}. */
  String who(Map<String, String> env) {
    String who = by != null ? by : env.getOrDefault("USER", "unknown");
    return who.isBlank() ? "unknown" : who;
  }
}
