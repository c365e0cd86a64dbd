package io.flowpay.config;

import io.flowpay.flow.FlowNames;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Worker ids as people write them in {@code workers} and {@code serve --workers}: each entry one id,
 * or a range {@code "w{0..15}"} (w0, w1, ..., w15: braces cannot be part of an id, so a range is
 * never mistaken for one).
 */
public final class WorkerIds {

  private static final Pattern RANGE = Pattern.compile("(.*)\\{(\\d+)\\.\\.(\\d+)\\}(.*)");
  private static final int MAX_IDS = 4_096;

  private WorkerIds() {}

  /** The ids named, ranges expanded, in order, each once; throws naming the bad entry and the fix. */
  public static List<String> expand(List<String> entries) {
    Set<String> ids = new LinkedHashSet<>();
    for (String entry : entries) {
      for (String id : expand(entry)) {
        if (!FlowNames.isValidId(id)) {
          throw new IllegalArgumentException("has an invalid worker id '" + id + "': use 1-128 letters, digits, '_',"
              + " '-', '.' or ':', or a range such as \"w{0..15}\"");
        }
        ids.add(id);
      }
    }
    if (ids.isEmpty()) {
      throw new IllegalArgumentException("must name at least one worker id, e.g. [\"w1\"] or [\"w{0..15}\"]");
    }
    return List.copyOf(ids);
  }

  private static List<String> expand(String entry) {
    Matcher range = RANGE.matcher(entry.trim());
    if (!range.matches()) {
      return List.of(entry.trim());
    }
    long from = Long.parseLong(range.group(2));
    long to = Long.parseLong(range.group(3));
    if (from > to || to - from >= MAX_IDS) {
      throw new IllegalArgumentException("has a bad range '" + entry + "': write {first..last} with first <= last and"
          + " at most " + MAX_IDS + " ids, e.g. \"w{0..15}\"");
    }
    List<String> ids = new ArrayList<>();
    for (long n = from; n <= to; n++) {
      ids.add(range.group(1) + n + range.group(4));
    }
    return ids;
  }
}
