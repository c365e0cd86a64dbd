package io.flowpay.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.flow.RunError;
import org.junit.jupiter.api.Test;

/** What the guards' Java side lets a flow keep, and when it ends a run. */
class RunBudgetTest {

  private static final RunBudget.Limits LIMITS = new RunBudget.Limits(5_000_000_000L, 1L << 40, 0);

  @Test
  void catchBlocksRethrowJavaErrorsButKeepJavaScriptValues() {
    RunBudget budget = started(LIMITS);
    for (Throwable java : new Throwable[] {new StackOverflowError(), new OutOfMemoryError("heap"),
        new IllegalStateException("bug")}) {
      assertSame(java, assertThrows(Throwable.class, () -> budget.call(null, java)));
    }
    assertFalse(budget.deathSeen());
    assertNull(budget.call(null, "a JavaScript value"));
    assertNull(budget.call(null, (Object) null));
  }

  @Test
  void caughtThreadDeathIsRethrownAndNoted() {
    RunBudget budget = started(LIMITS);
    ThreadDeath death = new ThreadDeath();
    assertSame(death, assertThrows(ThreadDeath.class, () -> budget.call(null, death)));
    assertTrue(budget.deathSeen());
  }

  @Test
  void spentBudgetEndsEveryLaterCheckAndCatch() {
    RunBudget budget = started(new RunBudget.Limits(1, 1L << 40, 0));
    long spin = 0;
    while (budget.overrun() == null && spin < 1_000_000_000L) {
      try {
        spin += ((Integer) budget.call(null)) + spin % 7;
      } catch (RunBudget.Exceeded expected) {
        break;
      }
    }
    assertEquals(RunBudget.Overrun.CPU, budget.overrun());
    assertThrows(RunBudget.Exceeded.class, () -> budget.call(null));
    assertThrows(RunBudget.Exceeded.class, () -> budget.call(null, "a JavaScript value"));
  }

  @Test
  void outOfMemoryReadsAsAScriptError() {
    RunError error = ScriptFailures.thrown(new OutOfMemoryError("Java heap space"), "flows/x.js");
    assertEquals("script_error", error.code());
    assertEquals("RangeError: out of memory (the JVM heap is full; does the flow build a huge array or string?)",
        error.message());
  }

  private static RunBudget started(RunBudget.Limits limits) {
    RunBudget budget = new RunBudget(limits, false);
    budget.start();
    return budget;
  }
}
