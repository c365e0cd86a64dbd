package io.flowpay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code from=} of a stream page: what Redis takes, and nothing it would refuse. */
class StreamIdsTest {

  @Test
  void idsRedisTakesAreTaken() {
    for (String id : List.of("-", "0", "1700000000000-0", "(1700000000000-0", "(1", "18446744073709551615",
        "18446744073709551615-18446744073709551615", "(18446744073709551615-18446744073709551614",
        "(18446744073709551614")) {
      assertTrue(StreamIds.valid(id), id);
    }
    assertEquals("-", StreamIds.from(null));
  }

  @Test
  void idsRedisWouldRefuseAreRefusedHere() {
    for (String id : List.of("", "(", "((1", "+", "-1", "1-", "1--1", "1-2-3", "a", "1 ", "18446744073709551616",
        "1-18446744073709551616", "99999999999999999999", "(18446744073709551615",
        "(18446744073709551615-18446744073709551615", "١٢٣")) {
      assertFalse(StreamIds.valid(id), id);
    }
    ApiProblem problem = assertThrows(ApiProblem.class, () -> StreamIds.from("yesterday"));
    assertEquals("from", problem.field());
    assertEquals(400, problem.status());
  }
}
