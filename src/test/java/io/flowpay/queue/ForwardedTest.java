package io.flowpay.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * When a commit's forward entries may be applied without reading the stream: only when every entry before them is
 * known applied. Stream ids compare as numbers ({@code ms-seq}), not as text.
 */
class ForwardedTest {

  private static Forwarded after(String before) {
    return new Forwarded(before, List.of(new ForwardRelay.Entry("1700000000500-0", Map.of("to", "w2"))));
  }

  @Test
  void entriesWrittenIntoAnEmptyStreamFollowWhateverWasApplied() {
    assertTrue(after("").follows(null));
    assertTrue(after("").follows("1700000000001-0"));
  }

  @Test
  void entriesFollowWhenTheLastEntryBeforeThemIsApplied() {
    assertTrue(after("1700000000100-3").follows("1700000000100-3"), "the last before them is the last applied");
    assertTrue(after("1700000000100-3").follows("1700000000200-0"), "applied by a relay that ran past it");
  }

  @Test
  void entriesDoNotFollowWhenAnEntryBeforeThemMayNotBeApplied() {
    assertFalse(after("1700000000100-3").follows(null), "nothing known applied: a holder before left entries");
    assertFalse(after("1700000000100-4").follows("1700000000100-3"), "someone else wrote after the last applied");
  }

  @Test
  void idsCompareAsNumbers() {
    assertTrue(ForwardRelay.after("10-0", "9-0"));
    assertTrue(ForwardRelay.after("5-10", "5-9"));
    assertFalse(ForwardRelay.after("5-9", "5-9"));
    assertEquals("5-10", ForwardRelay.next("5-9"), "a range that leaves 5-9 out starts there");
  }
}
