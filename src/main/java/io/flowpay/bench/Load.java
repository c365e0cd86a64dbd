package io.flowpay.bench;

/**
 * One way of doing the benchmark's work (a Stripe call and what follows it), kept busy as a closed
 * loop: {@code inFlight} operations at all times, each completed one replaced by a new one.
 */
interface Load extends AutoCloseable {

  /** Starts {@code inFlight} operations; each completion is recorded in {@code recorder}. */
  void start(int inFlight, Recorder recorder);

  /** Starts no new operation and waits (bounded) for those in flight to finish. */
  void stop();

  @Override
  void close();
}
