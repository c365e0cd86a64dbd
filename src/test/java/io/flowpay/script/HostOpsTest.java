package io.flowpay.script;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The prelude and the host speak one vocabulary: the operations the JavaScript asks for are the host's {@link Host.Op}s. */
class HostOpsTest {

  @Test
  void everyOperationThePreludeAsksForIsAHostOperationAndEveryHostOperationIsAskedFor() {
    Set<String> asked = new TreeSet<>();
    Matcher call = Pattern.compile("\\bcall\\('([a-z.]+)'").matcher(Prelude.SOURCE);
    while (call.find()) {
      asked.add(call.group(1));
    }
    Set<String> served = Arrays.stream(Host.Op.values()).map(Host.Op::wire).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(served, asked);
  }
}
