package io.flowpay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What the log says about 503s: one line per interval, nothing when there were none. */
class LoadShedderTest {

  @Test
  void oneSummaryLinePerIntervalAndNoneWhenNothingWasRefused() {
    LoadShedder shedder = new LoadShedder(256);
    try (LogCapture log = new LogCapture()) {
      shedder.report(10_000);
      for (int i = 0; i < 812; i++) {
        shedder.count(null);
      }
      shedder.count("Redis answered LOADING");
      shedder.count("Redis answered LOADING");
      shedder.count("Redis did not answer in time");
      shedder.report(10_000);
      shedder.report(10_000);

      assertEquals(List.of("http: answered 503 to 815 requests in the last 10 s: 812 shed over http.maxInFlight (256);"
          + " 2 × Redis answered LOADING; 1 × Redis did not answer in time"),
          log.records.stream().map(record -> record.getMessage()).toList());
    }
  }
}
