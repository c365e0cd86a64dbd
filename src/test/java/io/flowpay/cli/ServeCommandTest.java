package io.flowpay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code flowpay serve} refuses to start, before touching Redis, when a secret its config needs is missing. */
class ServeCommandTest {

  private static final String KEY = "sk_test_serve_command_test";
  private static final String TOKENS = "serve-command-test-token-1234";

  @TempDir
  Path dir;

  @Test
  void httpWithoutApiTokensRefusesNamingTheVariable() throws IOException {
    Result result = serve("{\"http\": {\"port\": 0}}", Map.of("STRIPE_SECRET_KEY", KEY));
    assertEquals(ExitCodes.USAGE, result.code);
    assertTrue(result.err.contains("FLOWPAY_API_TOKENS is not set"), result.err);
  }

  @Test
  void webhooksWithoutSecretRefusesNamingTheVariable() throws IOException {
    Result result = serve("{\"http\": {\"port\": 0}, \"webhooks\": {}}",
        Map.of("STRIPE_SECRET_KEY", KEY, "FLOWPAY_API_TOKENS", TOKENS));
    assertEquals(ExitCodes.USAGE, result.code);
    assertTrue(result.err.contains("STRIPE_WEBHOOK_SECRET is not set"), result.err);
  }

  @Test
  void shortApiTokenRefusesWithoutEchoingIt() throws IOException {
    Result result = serve("{\"http\": {\"port\": 0}}", Map.of("STRIPE_SECRET_KEY", KEY, "FLOWPAY_API_TOKENS", "hunter2"));
    assertEquals(ExitCodes.USAGE, result.code);
    assertTrue(result.err.contains("FLOWPAY_API_TOKENS"), result.err);
    assertFalse(result.err.contains("hunter2"), result.err);
  }

  @Test
  void startSaysWhatTheCheckFoundInTheFlows() throws IOException {
    Path flows = Files.createDirectories(dir.resolve("flows"));
    Files.writeString(flows.resolve("main.js"), "stripe.customers.crate({});");
    Files.writeString(flows.resolve("fine.js"), "log.info('ok');");
    StringWriter out = new StringWriter();

    ServeCommand.printFindings(flows, new PrintWriter(out, true));

    assertEquals(java.util.List.of(
        "flowpay: " + flows + "/main.js:1:18: error: stripe.customers.crate is not a verb Flowpay knows: did you mean"
            + " stripe.customers.create? stripe.customers has create, retrieve, update, del, list, search; call other"
            + " endpoints with stripe.request(method, path, params)",
        "flowpay: checked 2 flow(s) in " + flows + ": 1 error(s), 0 warning(s); a flow with errors does not load (its"
            + " runs fail) until it is fixed; a fixed file loads on its next run"),
        out.toString().lines().toList());
  }

  private Result serve(String config, Map<String, String> env) throws IOException {
    Path file = Files.writeString(dir.resolve("flowpay.json"), config);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(new HashMap<>(env), new PrintWriter(out, true), new PrintWriter(err, true),
        "serve", "--config", file.toString());
    return new Result(code, err.toString());
  }

  private record Result(int code, String err) {}
}
