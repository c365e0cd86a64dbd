package io.flowpay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.flow.Placement;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunRequestTest {

  private static final List<String> WORKERS = List.of("w1", "w2");

  @Test
  void onlyFlowIsRequired() {
    RunRequest request = RunRequest.parse("{\"flow\": \"main\"}", WORKERS);
    assertEquals("main", request.flow());
    assertEquals(Placement.workerFor(request.contextId(), WORKERS), request.workerId(), "the new context's placed worker");
    assertEquals(new JsonObject(), request.input());
    assertTrue(request.contextId().startsWith("ctx-"), request.contextId());
  }

  /** Without worker_id a context goes to its placed worker, every time, whichever that is. */
  @Test
  void aContextWithoutWorkerGoesToItsPlacedWorker() {
    for (int i = 0; i < 50; i++) {
      String context = "order-" + i;
      RunRequest request = RunRequest.parse("{\"flow\": \"main\", \"context_id\": \"" + context + "\"}", WORKERS);
      assertEquals(Placement.workerFor(context, WORKERS), request.workerId(), context);
      assertEquals(request.workerId(),
          RunRequest.parse("{\"flow\": \"other\", \"context_id\": \"" + context + "\"}", WORKERS).workerId());
    }
  }

  @Test
  void everyFieldIsTaken() {
    RunRequest request = RunRequest.parse(
        "{\"flow\": \"sub/refund\", \"input\": [1, {\"a\": 2}], \"context_id\": \"order-1\", \"worker_id\": \"w2\"}", WORKERS);
    assertEquals(new RunRequest("sub/refund", new JsonArray("[1, {\"a\": 2}]"), "order-1", "w2"), request);
  }

  @Test
  void inputKeepsLargeNumbersExact() {
    RunRequest request = RunRequest.parse("{\"flow\": \"main\", \"input\": {\"amount\": 9007199254740993}}", WORKERS);
    assertEquals(9007199254740993L, ((JsonObject) request.input()).getLong("amount"));
  }

  @Test
  void problemsNameTheirField() {
    assertField(null, "");
    assertField(null, "{");
    assertField(null, "\"main\"");
    assertField("flow", "{}");
    assertField("flow", "{\"flow\": 3}");
    assertField("flow", "{\"flow\": \"Main\"}");
    assertField("worker_id", "{\"flow\": \"main\", \"worker_id\": \"w3\"}");
    assertField("context_id", "{\"flow\": \"main\", \"context_id\": \"\"}");
    assertField("extra", "{\"flow\": \"main\", \"extra\": 1}");
  }

  private static void assertField(String field, String body) {
    ApiProblem problem = assertThrows(ApiProblem.class, () -> RunRequest.parse(body, WORKERS), body);
    assertEquals(400, problem.status());
    assertEquals(field, problem.field(), problem.getMessage());
  }

  @Test
  void inputNestedTooDeepIsRefusedNamingIt() {
    String deep = "[".repeat(RunRequest.MAX_INPUT_DEPTH + 1) + "]".repeat(RunRequest.MAX_INPUT_DEPTH + 1);
    ApiProblem problem = assertThrows(ApiProblem.class,
        () -> RunRequest.parse("{\"flow\": \"main\", \"input\": " + deep + "}", WORKERS));
    assertEquals("input", problem.field());
    String deepest = "{\"a\":".repeat(RunRequest.MAX_INPUT_DEPTH) + "1" + "}".repeat(RunRequest.MAX_INPUT_DEPTH);
    assertEquals(1, ((io.vertx.core.json.JsonObject) RunRequest.parse("{\"flow\": \"main\", \"input\": " + deepest + "}",
        WORKERS).input()).size());
  }
}
