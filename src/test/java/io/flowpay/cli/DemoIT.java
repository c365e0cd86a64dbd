package io.flowpay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.Main;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code flowpay demo} as a new user runs it: nothing installed, no key, no Redis. */
class DemoIT {

  @Test
  void demoPaysOneOrderAndDeclinesTheOther() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int code = Main.execute(Map.of(), new PrintWriter(out, true), new PrintWriter(err, true), "demo", "--json");

    assertEquals(0, code, out + "\n" + err);
    List<JsonObject> lines = out.toString().lines().map(JsonObject::new).toList();
    JsonObject paid = state(lines, "-paid");
    JsonObject declined = state(lines, "-declined");
    assertEquals("succeeded", paid.getString("status"), paid.encode());
    assertTrue(paid.getString("payment_intent").startsWith("pi_"), paid.encode());
    assertEquals("declined", declined.getString("status"), declined.encode());
    assertEquals(2, lines.stream().filter(line -> "settled".equals(line.getString("status"))).count());
    assertTrue(lines.stream().anyMatch(line -> "new_confirm_payment_intent_error".equals(line.getString("flow"))));
  }

  private static JsonObject state(List<JsonObject> lines, String suffix) {
    return lines.stream()
        .filter(line -> line.containsKey("state") && line.getString("context_id").endsWith(suffix))
        .findFirst().orElseThrow(() -> new AssertionError("no state printed for *" + suffix + ": " + lines))
        .getJsonObject("state");
  }
}
