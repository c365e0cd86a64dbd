package io.flowpay.script;

import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Stops the runs the loop guard cannot reach: a regular expression that backtracks, one huge native
 * call ({@code 'x'.repeat(1e9)}). One daemon thread looks at every running flow each interval; a
 * run whose thread passed its hard CPU or memory limit is stopped with {@link Thread#stop()}, which
 * throws {@link ThreadDeath} into that thread wherever it is.
 *
 * <p>A stop hits only the run it was meant for: the watchdog stops a thread only while holding that
 * run's watch, and only while the run is going; {@link #run} takes the same lock to close the watch,
 * and when a stop was sent, takes in its ThreadDeath (waiting for it if it has not arrived yet), so
 * that it can never land in the thread's next task.
 */
final class Watchdog {

  private static final System.Logger LOG = System.getLogger(Watchdog.class.getName());
  private static final long ABSORB_NANOS = 200_000_000;
  private static final long IDLE_NANOS = 1_000_000_000;

  private final long intervalNanos;
  private final Set<Watch> running = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean looking = new AtomicBoolean();

  /**
   * No thread until a run starts; the thread ends after a second without runs. A run only joins and
   * leaves a set: it never waits for, nor wakes, the watchdog's thread.
   */
  Watchdog(long intervalNanos) {
    this.intervalNanos = intervalNanos;
  }

  /** A flow's evaluation, as the watchdog runs it. */
  interface Evaluation {
    void run() throws Exception;
  }

  /**
   * Runs {@code evaluation} on the calling thread under watch: returns what ended it (null when it
   * returned), including the ThreadDeath of a stop. Never throws, and no stop of this run can reach
   * the thread after it returns.
   */
  Throwable run(RunBudget budget, String what, Evaluation evaluation) {
    Watch watch = new Watch(budget, what, Thread.currentThread());
    Throwable thrown = null;
    try {
      budget.start();
      running.add(watch);
      if (looking.compareAndSet(false, true)) {
        startLooking();
      }
      try {
        evaluation.run();
      } catch (Throwable e) {
        thrown = e;
      }
      if (close(watch) && !budget.deathSeen() && !isDeath(thrown)) {
        awaitDeath();
      }
    } catch (ThreadDeath death) {
      thrown = thrown == null ? death : thrown;
      close(watch);
    }
    if (watch.stopSent) {
      Thread.interrupted();
    }
    return thrown;
  }

  private boolean close(Watch watch) {
    running.remove(watch);
    return watch.close();
  }

  private void startLooking() {
    Thread thread = new Thread(this::lookAtRuns, "flowpay-watchdog");
    thread.setDaemon(true);
    thread.start();
  }

  /** The watchdog's thread: looks at every running flow each interval; ends once idle. */
  private void lookAtRuns() {
    long idleSince = System.nanoTime();
    while (true) {
      LockSupport.parkNanos(intervalNanos);
      if (!running.isEmpty()) {
        running.forEach(Watchdog::lookAt);
        idleSince = System.nanoTime();
      } else if (System.nanoTime() - idleSince > IDLE_NANOS) {
        looking.set(false);
        // A run that joined meanwhile either saw `looking` true (and counts on this thread) or starts another.
        if (running.isEmpty() || !looking.compareAndSet(false, true)) {
          return;
        }
      }
    }
  }

  private static void lookAt(Watch watch) {
    try {
      watch.look();
    } catch (RuntimeException | Error bug) {
      LOG.log(Level.ERROR, "the watchdog could not look at " + watch.what, bug);
    }
  }

  /** Its ThreadDeath usually arrived long ago; if a flow swallowed it (a return in finally), none comes. */
  private static void awaitDeath() {
    Thread.interrupted();
    long deadline = System.nanoTime() + ABSORB_NANOS;
    while (System.nanoTime() < deadline) {
      LockSupport.parkNanos(1_000_000);
    }
  }

  private static boolean isDeath(Throwable thrown) {
    for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
      if (cause instanceof ThreadDeath) {
        return true;
      }
    }
    return false;
  }

  /** One run under watch. */
  static final class Watch {

    private enum State { RUNNING, STOPPING, ENDED }

    private final RunBudget budget;
    private final String what;
    private final Thread thread;
    private State state = State.RUNNING;
    private boolean stopSent;

    private Watch(RunBudget budget, String what, Thread thread) {
      this.budget = budget;
      this.what = what;
      this.thread = thread;
    }

    /** On the watchdog's thread: stops the run's thread once it passed a hard limit. */
    private synchronized void look() {
      if (state != State.RUNNING) {
        return;
      }
      RunBudget.Overrun overrun = budget.passedHardLimit();
      if (overrun != null) {
        budget.overrunBy(overrun);
        state = State.STOPPING;
        stopSent = stop(thread);
        if (stopSent) {
          budget.stopped();
        }
        LOG.log(Level.WARNING, () -> what + ": stopped its script thread " + thread.getName() + " (" + overrun
            + " budget spent and the loop guard could not end it: a backtracking regular expression or a huge"
            + " native call?)");
      }
    }

    /** Whether a stop was sent; after this, none will be. */
    private synchronized boolean close() {
      boolean stopped = state == State.STOPPING;
      state = State.ENDED;
      return stopped && stopSent;
    }

    // Thread.stop is deprecated (for removal since JDK 18): on JDK 17 it still works, and it is the only
    // way to end a thread stuck inside Nashorn's regex engine. JDK 20+ throws instead.
    @SuppressWarnings({"deprecation", "removal"})
    private boolean stop(Thread target) {
      try {
        target.stop();
        return true;
      } catch (UnsupportedOperationException unsupported) {
        LOG.log(Level.ERROR, what + ": this JDK cannot stop a runaway flow (Thread.stop is gone); its script"
            + " thread stays busy until the flow ends: run Flowpay on JDK 17, or restart the worker");
        return false;
      }
    }
  }
}
