package io.flowpay.script;

import java.util.Collection;

/**
 * The known name closest to a misspelt one, by edit distance (insertions, deletions, substitutions and
 * swaps of two neighbours each count 1, so {@code emial} is 1 from {@code email}). A name counts as
 * close when at most a third of its letters (1 to 3) differ, or when a known name starts with it
 * ({@code finalize} → {@code finalizeInvoice}); otherwise there is no suggestion.
 */
final class DidYouMean {

  private DidYouMean() {}

  /** The closest of {@code known} to {@code name}, or null when none is close. */
  static String closest(String name, Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      int distance = distance(name.toLowerCase(), candidate.toLowerCase());
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    if (best != null && bestDistance <= allowed(name)) {
      return best;
    }
    return name.length() < 3 ? null
        : known.stream().filter(candidate -> candidate.startsWith(name)).findFirst().orElse(null);
  }

  /** {@code did you mean stripe.customers.create?}, or {@code ""} when nothing is close. */
  static String hint(String name, Collection<String> known, String prefix) {
    String closest = closest(name, known);
    return closest == null ? "" : "did you mean " + prefix + closest + "? ";
  }

  private static int allowed(String name) {
    return Math.max(1, Math.min(3, name.length() / 3));
  }

  /** Optimal string alignment distance (Damerau-Levenshtein without repeated edits of one substring). */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
