package io.flowpay.cli;

/** Exit codes of every sub-command. */
final class ExitCodes {
  static final int OK = 0;
  /** A run failed, a flow does not compile, a chain did not settle in time, Redis is unreachable. */
  static final int FAILED = 1;
  /** Bad command line or bad config. */
  static final int USAGE = 2;

  private ExitCodes() {}
}
