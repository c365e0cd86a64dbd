package io.flowpay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What the bench prints below its table about the durable floor. */
class ReportTest {

  @Test
  void flowpayIsPutAgainstTheFloorAndTheFloorAgainstTheCeilingAtEachConcurrency() {
    Report report = new Report(List.of(row(Modes.FLOWPAY, 16, 2000, 400, 200, 6.0, 15.0),
        row(Modes.FLOOR, 16, 4000, 250, 50, 3.0, 10.0), row(Modes.CEILING, 16, 5000, 200, 40, 2.0, 8.0)), List.of());

    List<String> floorLines = report.targets().stream().filter(line -> line.contains("durable floor")).toList();

    assertEquals(List.of("at 16 in flight against the durable floor: CPU per hop 600 us = 2.00x the floor's 300 us;"
        + " hops/s 0.50x (2000 vs 4000); p50 6.00 vs 3.00 ms; p99 15.00 vs 10.00 ms (the floor itself: CPU per hop"
        + " 1.25x the ceiling's, hops/s 0.80x, p99 1.25x)"), floorLines);
    assertTrue(report.markdown().contains("- " + floorLines.get(0)), report.markdown());
  }

  @Test
  void withoutTheFloorNoLineIsAboutIt() {
    Report report = new Report(List.of(row(Modes.FLOWPAY, 1, 900, 700, 400, 0.9, 3.0),
        row(Modes.CEILING, 1, 2500, 300, 120, 0.3, 1.1)), List.of());

    assertTrue(report.targets().stream().noneMatch(line -> line.contains("floor")), String.join("\n", report.targets()));
    assertTrue(report.targets().stream().anyMatch(line -> line.startsWith("at 1 in flight: CPU per hop")),
        String.join("\n", report.targets()));
  }

  @Test
  void theFloorWithoutTheCeilingIsPutAgainstFlowpayAlone() {
    Report report = new Report(List.of(row(Modes.FLOWPAY, 256, 3000, 300, 150, 70, 150),
        row(Modes.FLOOR, 256, 4500, 200, 50, 50, 110)), List.of());

    assertEquals(List.of("at 256 in flight against the durable floor: CPU per hop 450 us = 1.80x the floor's 250 us;"
        + " hops/s 0.67x (3000 vs 4500); p50 70.00 vs 50.00 ms; p99 150.00 vs 110.00 ms"), report.targets());
  }

  private static Report.Row row(String mode, int inFlight, double ops, double cpu, double redisCpu, double p50,
      double p99) {
    return new Report.Row(mode, inFlight, List.of(new Round(ops, p50, p99, cpu, redisCpu, 0, 0, 0)));
  }
}
