package io.flowpay.http;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The records logged under {@code io.flowpay.http} while open: what an operator would read in the log. */
final class LogCapture extends Handler implements AutoCloseable {

  private final Logger logger = Logger.getLogger("io.flowpay.http");
  final List<LogRecord> records = new CopyOnWriteArrayList<>();

  LogCapture() {
    logger.addHandler(this);
  }

  /** Records at SEVERE or with a stack trace. */
  List<String> severe() {
    return records.stream().filter(r -> r.getLevel().intValue() >= Level.SEVERE.intValue() || r.getThrown() != null)
        .map(r -> r.getLevel() + " " + r.getMessage() + " " + r.getThrown()).toList();
  }

  @Override
  public void publish(LogRecord record) {
    records.add(record);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
  }
}
