package io.flowpay.bench;

/**
 * One measured round of one mode at one concurrency.
 *
 * @param cpuMicrosPerOp this process's CPU time per operation, without the stand-in's thread
 * @param redisCpuMicrosPerOp Redis's CPU time per operation
 * @param peakHeapMb most heap used (just before a GC, or at the end)
 * @param liveHeapMb heap used after a full GC at the round's end
 */
record Round(double opsPerSecond, double p50Ms, double p99Ms, double cpuMicrosPerOp, double redisCpuMicrosPerOp,
    double peakHeapMb, double liveHeapMb, int errors) {}
