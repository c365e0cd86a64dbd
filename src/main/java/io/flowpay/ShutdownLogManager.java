package io.flowpay;

import java.util.logging.LogManager;

/**
 * java.util.logging's manager, but one whose handlers outlive the JVM's shutdown while a command still
 * has things to say: the JDK resets logging from a shutdown hook of its own, running beside
 * {@code serve}'s, so what the drain logged after SIGTERM (leases given up, calls sent) was lost.
 * {@link Main} installs it; {@code serve} calls {@link #keepThroughShutdown()} before it registers its hook.
 */
public final class ShutdownLogManager extends LogManager {

  private static volatile boolean keep;

  /** From now on the JDK's shutdown does not reset logging: a draining command's last lines are printed. */
  public static void keepThroughShutdown() {
    keep = true;
  }

  @Override
  public void reset() {
    if (keep && shuttingDown()) {
      return;
    }
    super.reset();
  }

  private static boolean shuttingDown() {
    try {
      Thread probe = new Thread(() -> { });
      Runtime.getRuntime().addShutdownHook(probe);
      Runtime.getRuntime().removeShutdownHook(probe);
      return false;
    } catch (IllegalStateException shutdownInProgress) {
      return true;
    }
  }
}
