package io.flowpay.queue;

/** Text of {@code name:value} lines, as Redis's {@code INFO} and Linux's {@code /proc/<pid>/status} give them. */
public final class InfoLines {

  private InfoLines() {
  }

  /** The value of the first line named {@code name}, trimmed, or null when no line is. */
  public static String value(String text, String name) {
    return text.lines().filter(line -> line.startsWith(name + ":")).findFirst()
        .map(line -> line.substring(name.length() + 1).trim()).orElse(null);
  }

  /** The value of the first line named {@code name} as a number, or 0 when no line is. */
  public static double number(String text, String name) {
    String value = value(text, name);
    return value == null ? 0 : Double.parseDouble(value);
  }
}
