package io.flowpay.bench;

/**
 * One measured round of one mode at one concurrency.
 *
 * @param cpuMicrosPerOp this process's CPU time per operation, without the stand-in's thread
 * @param redisCpuMicrosPerOp Redis's CPU time per operation
 * @param peakHeapMb most heap used (just before a GC, or at the end)
 * @param liveHeapMb heap used after a full GC at the round's end
 * @param jitCpuMicrosPerOp of {@code cpuMicrosPerOp}, the JIT compiler threads' (NaN: not measured; see {@link JitCpu})
 */
record Round(double opsPerSecond, double p50Ms, double p99Ms, double cpuMicrosPerOp, double redisCpuMicrosPerOp,
    double peakHeapMb, double liveHeapMb, int errors, double jitCpuMicrosPerOp) {

  /** A round whose JIT time was not measured. */
  Round(double opsPerSecond, double p50Ms, double p99Ms, double cpuMicrosPerOp, double redisCpuMicrosPerOp,
      double peakHeapMb, double liveHeapMb, int errors) {
    this(opsPerSecond, p50Ms, p99Ms, cpuMicrosPerOp, redisCpuMicrosPerOp, peakHeapMb, liveHeapMb, errors, Double.NaN);
  }
}
