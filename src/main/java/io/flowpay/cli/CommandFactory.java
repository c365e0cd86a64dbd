package io.flowpay.cli;

import java.io.InputStream;
import java.util.Map;
import picocli.CommandLine;

/**
 * Makes the sub-commands for picocli and hands each the environment and stdin, so that none reads a global
 * (and a test can give its own). A command outside this package that needs the environment takes it in a
 * {@code (Map<String, String> env)} constructor.
 */
public record CommandFactory(Map<String, String> env, InputStream in) implements CommandLine.IFactory {

  @Override
  public <K> K create(Class<K> type) throws Exception {
    try {
      return type.getDeclaredConstructor(Map.class).newInstance(env);
    } catch (NoSuchMethodException noEnvConstructor) {
      K made = CommandLine.defaultFactory().create(type);
      if (made instanceof CommandSupport command) {
        command.env = env;
        command.in = in;
      }
      return made;
    }
  }
}
