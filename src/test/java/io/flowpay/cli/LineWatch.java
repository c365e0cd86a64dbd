package io.flowpay.cli;

import java.io.Writer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A writer that a test can wait on: what a command printed so far, and the first match of a pattern in it. */
final class LineWatch extends Writer {

  private final StringBuilder text = new StringBuilder();

  @Override
  public synchronized void write(char[] chars, int offset, int length) {
    text.append(chars, offset, length);
    notifyAll();
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}

  /** Waits (up to {@code timeoutMs}) until the text holds {@code pattern}; returns its first group. */
  synchronized String await(Pattern pattern, long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (true) {
      Matcher match = pattern.matcher(text);
      if (match.find()) {
        return match.groupCount() > 0 ? match.group(1) : match.group();
      }
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        throw new AssertionError("no " + pattern + " within " + timeoutMs + " ms in:\n" + text);
      }
      wait(left);
    }
  }

  @Override
  public synchronized String toString() {
    return text.toString();
  }
}
