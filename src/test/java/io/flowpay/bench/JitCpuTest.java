package io.flowpay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The JIT's share of a round's CPU, read from a thread's {@code /proc} stat line. */
class JitCpuTest {

  private static String stat(String name, long utime, long stime) {
    return "4711 (" + name + ") S 4700 4700 1 0 -1 1077952576 12 0 0 0 " + utime + " " + stime
        + " 0 0 20 0 40 0 1234 3059172 632324 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 -1 1 0 0 0 0 0";
  }

  @Test
  void aCompilerThreadCountsItsUserAndSystemTicks() {
    assertEquals(1750 + 42, JitCpu.compilerTicks(stat("C2 CompilerThre", 1750, 42)));
    assertEquals(7, JitCpu.compilerTicks(stat("C1 CompilerThre", 5, 2)));
  }

  @Test
  void everyOtherThreadCountsNothing() {
    assertEquals(0, JitCpu.compilerTicks(stat("vert.x-eventloo", 900, 10)));
    assertEquals(0, JitCpu.compilerTicks(stat("G1 Conc#0", 300, 1)));
    assertEquals(0, JitCpu.compilerTicks(stat("(C2 CompilerThre) x", 300, 1)), "a name is read from the first '('");
  }

  @Test
  void aNameWithParenthesesAndSpacesStillFindsTheTimes() {
    assertEquals(3, JitCpu.compilerTicks(stat("C2 CompilerThre) (", 1, 2)));
  }

  @Test
  void perOperationIsUnknownWithoutProcAndNeverNegative() {
    assertTrue(Double.isNaN(JitCpu.microsPerOp(JitCpu.UNKNOWN, 5_000_000, 10)));
    assertEquals(500.0, JitCpu.microsPerOp(0, 5_000_000, 10));
    assertEquals(0.0, JitCpu.microsPerOp(5_000_000, 0, 10), "a compiler thread that ended took its time with it");
  }

  @Test
  void thisJvmOnLinuxHasCompilerThreadsThatHaveWorked() {
    long nanos = JitCpu.nanos();
    assertTrue(nanos == JitCpu.UNKNOWN || nanos > 0, "the JIT compiled the tests themselves: " + nanos);
  }
}
