package io.flowpay.http;

import io.vertx.core.http.ConnectionPoolTooBusyException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Which failures mean "Redis cannot take this now" (answered 503 with {@code Retry-After}) rather than
 * a fault of Flowpay (500): no connection, no answer in time, a full connection pool or command
 * queue, and the error replies Redis gives while it cannot serve ({@code LOADING} after a restart,
 * {@code BUSY} running a script, {@code READONLY} replica, {@code MASTERDOWN}, {@code TRYAGAIN},
 * {@code CLUSTERDOWN}, {@code OOM}: full, with {@code maxmemory-policy noeviction}).
 */
final class Unavailable {

  /** Redis error replies (their first word) that mean try again later. */
  static final Set<String> REDIS_ERRORS = Set.of("LOADING", "BUSY", "READONLY", "MASTERDOWN", "TRYAGAIN",
      "CLUSTERDOWN", "OOM");

  /** A batch's failure lists each command's error as {@code ERR [<index>] <error>}, one a line. */
  private static final Pattern BATCH_PREFIX = Pattern.compile("^(ERR )?(\\[[0-9]+\\] )?");

  private Unavailable() {}

  /** A few words saying why Redis is unavailable, or null when {@code failure} is not unavailability. */
  static String reason(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      String reason = ownReason(cause);
      if (reason != null) {
        return reason;
      }
    }
    return null;
  }

  private static String ownReason(Throwable cause) {
    if (cause instanceof ConnectException) {
      return "Redis refused the connection";
    }
    if (cause instanceof TimeoutException) {
      return "Redis did not answer in time";
    }
    if (cause instanceof ConnectionPoolTooBusyException) {
      return "the Redis connection pool's queue is full";
    }
    if (cause instanceof ClosedChannelException || cause instanceof SocketException) {
      return "the connection to Redis was lost";
    }
    String message = cause.getMessage() == null ? "" : cause.getMessage();
    for (String line : message.split("\n")) {
      String word = BATCH_PREFIX.matcher(line).replaceFirst("").split(" ", 2)[0];
      if (REDIS_ERRORS.contains(word)) {
        return "Redis answered " + word;
      }
    }
    if (message.startsWith("CONNECTION_CLOSED") || message.equals("Connection is closed")) {
      return "the connection to Redis was closed";
    }
    if (message.equals("Redis waiting queue is full")) {
      return "the Redis connection's queue is full";
    }
    return null;
  }
}
