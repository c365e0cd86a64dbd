package io.flowpay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.Main;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flowpay try} without Redis: the prompt (REPL) fed through a pipe, and a response or error flow run with
 * a Stripe answer bound ({@code --answer}, {@code --error}).
 */
class TryReplTest {

  @TempDir
  Path dir;

  @Test
  void theReplKeepsScratchStateBetweenLinesAndPrintsEachLinesValueAndEffects() throws IOException {
    String lines = String.join("\n",
        "ctx.get('n')",
        "const total = (ctx.get('n') || 0) + input.amount;",
        "ctx.set('total', total)",
        "total * 2",
        "stripe.customers.create({email: 'a@b.c', metadata: {total: total}})",
        "flow.after(60000, 'remind', {total: total})",
        "nope(",
        "missing.x",
        "log.info('total is', total)",
        ".exit",
        "total") + "\n";

    Result result = flowpay(lines, "try", "--input", "{\"amount\": 5}", "--config", emptyConfig().toString());

    assertEquals(0, result.code, result.out + result.err);
    String out = result.out;
    assertTrue(out.contains("(a new, empty context); nothing is committed or sent"), out);
    assertTrue(out.contains("> ctx.get('n')\n= undefined\n"), out);
    assertTrue(out.contains("> ctx.set('total', total)\nstate    set total = 5\n"), out);
    assertTrue(out.contains("> total * 2\n= 10\n"), out);
    assertTrue(out.contains("call     POST /v1/customers -> new_create_customer_response | new_create_customer_error\n"
        + "         body email=a%40b.c&metadata[total]=5&metadata[flowpay_worker]=w1&metadata[flowpay_context]=try-"),
        out);
    assertTrue(out.contains("after    60000 ms remind {\"total\":5}\n"), out);
    assertTrue(out.contains("> nope(\nerror    flow_invalid: SyntaxError"), out);
    assertTrue(out.contains("> missing.x\nerror    script_error: ReferenceError: \"missing\" is not defined\n"), out);
    // Earlier lines' effects are not printed again; a dropped line left nothing behind.
    assertTrue(out.contains("> log.info('total is', total)\nlog      info  total is 5\n= undefined\n"), out);
    assertEquals(1, out.split("state    set total", -1).length - 1, out);
    assertFalse(out.contains("> total\n"), ".exit ends the prompt: " + out);
  }

  @Test
  void aResponseFlowRunsWithAStripeExampleObjectAsItsAnswer() throws IOException {
    Result result = flowpay("", "try", "new_create_payment_intent_response", "--answer", "payment_intent",
        "--carry", "{\"payment_method\": \"pm_card_visa\"}", "--config", emptyConfig().toString());

    assertEquals(0, result.code, result.out + result.err);
    assertTrue(result.out.contains("state    set payment_intent = \"pi_1PgafyB7WZ01zgkWSjxsAJo3\""), result.out);
    assertTrue(result.out.contains("call     POST /v1/payment_intents/pi_1PgafyB7WZ01zgkWSjxsAJo3/confirm"), result.out);
    assertTrue(result.out.contains("         body payment_method=pm_card_visa"), result.out);
  }

  @Test
  void anErrorFlowRunsWithStripesErrorAndABadAnswerIsAUsageError() throws IOException {
    Result declined = flowpay("", "try", "new_create_payment_intent_error", "--error",
        "{\"type\": \"card_error\", \"code\": \"card_declined\", \"message\": \"Your card was declined.\"}",
        "--config", emptyConfig().toString());
    Result unknown = flowpay("", "try", "new_create_payment_intent_response", "--answer", "payment_intnet",
        "--config", emptyConfig().toString());
    Result both = flowpay("", "try", "new_create_payment_intent_response", "--answer", "payment_intent",
        "--error", "{}", "--config", emptyConfig().toString());

    assertEquals(0, declined.code, declined.out + declined.err);
    assertTrue(declined.out.contains("state    set status = \"create_failed\""), declined.out);
    assertTrue(declined.out.contains("could not create a payment intent: Your card was declined. (HTTP 402)"),
        declined.out);
    assertEquals(2, unknown.code, unknown.out + unknown.err);
    assertTrue(unknown.err.contains("Stripe has no example object named 'payment_intnet'"), unknown.err);
    assertEquals(2, both.code);
    assertTrue(both.err.contains("give --answer (a response flow) or --error (an error flow), not both"), both.err);
  }

  private Path emptyConfig() throws IOException {
    return Files.writeString(dir.resolve("flowpay.json"), "{\"flowsDir\": \"flows\"}");
  }

  private static Result flowpay(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(Map.of(), new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  private record Result(int code, String out, String err) {}
}
