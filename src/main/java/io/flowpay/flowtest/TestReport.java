package io.flowpay.flowtest;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What {@code flowpay test} prints, and the JUnit XML it writes for CI. */
public final class TestReport {

  private TestReport() {}

  /** One line per test, the reasons under each failure, then a summary line. */
  public static void text(FlowTests.Outcome outcome, PrintWriter out) {
    for (TestResult result : outcome.results()) {
      out.printf("%s  %s  %s (%d ms)%n", result.passed() ? "PASS" : "FAIL", result.file(), result.name(),
          result.durationMs());
      if (!result.passed()) {
        out.printf("      %s%s: %s%n", result.outcome().equals("error") ? "error at " : "at ", result.where(),
            result.message());
        if (result.detail() != null) {
          result.detail().lines().forEach(line -> out.println("      " + line));
        }
      }
    }
    long failed = outcome.failed();
    out.printf("%d test(s): %d passed, %d failed in %.1f s%n", outcome.results().size(),
        outcome.results().size() - failed, failed, outcome.elapsedMs() / 1000.0);
    out.flush();
  }

  /** JUnit XML (the Ant/Surefire schema CI servers read): a test suite per test file. */
  public static void junitXml(FlowTests.Outcome outcome, Path file) throws IOException {
    Map<String, List<TestResult>> byFile = new LinkedHashMap<>();
    outcome.results().forEach(result -> byFile.computeIfAbsent(result.file(), f -> new java.util.ArrayList<>())
        .add(result));
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml.append(String.format(Locale.ROOT, "<testsuites name=\"flowpay test\" tests=\"%d\" failures=\"%d\" errors=\"%d\" time=\"%.3f\">%n",
        outcome.results().size(), count(outcome.results(), "failed"), count(outcome.results(), "error"),
        outcome.elapsedMs() / 1000.0));
    for (Map.Entry<String, List<TestResult>> suite : byFile.entrySet()) {
      List<TestResult> results = suite.getValue();
      xml.append(String.format(Locale.ROOT, "  <testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\" time=\"%.3f\">%n",
          escape(suite.getKey()), results.size(), count(results, "failed"), count(results, "error"),
          results.stream().mapToLong(TestResult::durationMs).sum() / 1000.0));
      for (TestResult result : results) {
        xml.append(String.format(Locale.ROOT, "    <testcase classname=\"%s\" name=\"%s\" time=\"%.3f\"",
            escape(result.file()), escape(result.name()), result.durationMs() / 1000.0));
        if (result.passed()) {
          xml.append("/>\n");
          continue;
        }
        String tag = result.outcome().equals("error") ? "error" : "failure";
        String body = result.where() + ": " + result.message() + (result.detail() == null ? "" : "\n" + result.detail());
        xml.append(">\n      <").append(tag).append(" message=\"").append(escape(result.message()))
            .append("\" type=\"").append(result.outcome()).append("\">").append(escape(body)).append("</")
            .append(tag).append(">\n    </testcase>\n");
      }
      xml.append("  </testsuite>\n");
    }
    xml.append("</testsuites>\n");
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, xml);
  }

  private static long count(List<TestResult> results, String outcome) {
    return results.stream().filter(result -> result.outcome().equals(outcome)).count();
  }

  private static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\n', '\t', '\r' -> out.append(c);
        default -> out.append(c < 0x20 ? ' ' : c);
      }
    }
    return out.toString();
  }
}
