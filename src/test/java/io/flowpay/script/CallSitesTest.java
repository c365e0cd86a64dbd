package io.flowpay.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.Main;
import io.flowpay.stripe.StripeResources;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code flowpay check} warns about Stripe calls, read from the flow files without running them. */
class CallSitesTest {

  @TempDir
  Path flows;

  @Test
  void missingResponseAndErrorFlowsAreNamedWithFileAndLine() throws IOException {
    write("main", """
        ctx.set('a', 1);
        stripe.paymentIntents.create({amount: 2000, currency: 'usd'});
        stripe.checkout.sessions.create(
          {mode: 'payment'});
        """);
    write("new_create_payment_intent_error", "");
    write("new_create_checkout_session_response", "");

    assertEquals(List.of(
        flows + "/main.js:2: warning: stripe.paymentIntents.create: its answer runs flow"
            + " 'new_create_payment_intent_response', but " + flows + "/new_create_payment_intent_response.js does"
            + " not exist: create it, or name an existing flow with {onSuccess: '<flow>'}",
        flows + "/main.js:3: warning: stripe.checkout.sessions.create: its error runs flow"
            + " 'new_create_checkout_session_error', but " + flows + "/new_create_checkout_session_error.js does"
            + " not exist: create it, or name an existing flow with {onError: '<flow>'}"),
        warnings());
  }

  @Test
  void literalOnSuccessAndOnErrorCountAndComputedOptionsAreNotGuessed() throws IOException {
    write("main", """
        stripe.refunds.create({payment_intent: 'pi_1'}, {onSuccess: 'refunded', 'onError': 'billing/refund_failed'});
        stripe.customers.update('cus_1', {name: 'A'}, {carry: 1, onSuccess: 'updated', onError: 'main'});
        stripe.customers.del('cus_1', {}, options);
        stripe.customers.retrieve('cus_1', {}, {onSuccess: 'cust_' + 'x', onError: 'main'});
        stripe.invoices.voidInvoice('in_1', null, {onSuccess: 'Bad-Name', onError: 'main'});
        """);
    write("refunded", "");

    List<String> warnings = warnings();

    assertEquals(3, warnings.size(), String.join("\n", warnings));
    assertTrue(warnings.get(0).startsWith(flows + "/main.js:1: warning: stripe.refunds.create: its error runs flow"
        + " 'billing/refund_failed', but " + flows + "/billing/refund_failed.js does not exist: create it, or fix"
        + " the onError option"), warnings.get(0));
    assertTrue(warnings.get(1).startsWith(flows + "/main.js:2: warning: stripe.customers.update: its answer runs flow"
        + " 'updated'"), warnings.get(1));
    assertTrue(warnings.get(2).startsWith(flows + "/main.js:5: warning: stripe.invoices.voidInvoice: onSuccess"
        + " 'Bad-Name' is not a flow name"), warnings.get(2));
  }

  @Test
  void unknownResourcesVerbsAndCallsAreWarnings() throws IOException {
    write("main", """
        stripe.paymentIntent.create({});
        stripe.invoices.finalize('in_1');
        stripe.newInvoice();
        stripe.billingPortal.sessions.create({customer: 'cus_1'}, {onSuccess: 'main', onError: 'main'});
        stripe.request('POST', '/v1/quotes', {}, {onSuccess: 'main', onError: 'main'});
        """);

    List<String> warnings = warnings();

    assertEquals(3, warnings.size(), String.join("\n", warnings));
    assertTrue(warnings.get(0).startsWith(flows + "/main.js:1: warning: stripe.paymentIntent is not a Stripe resource"
        + " Flowpay knows (known: paymentIntents, setupIntents,"), warnings.get(0));
    assertTrue(warnings.get(1).startsWith(flows + "/main.js:2: warning: stripe.invoices.finalize is not a verb"
        + " Flowpay knows (stripe.invoices has create, retrieve, update, del, pay, list, finalizeInvoice, voidInvoice);"),
        warnings.get(1));
    assertTrue(warnings.get(2).startsWith(flows + "/main.js:3: warning: stripe.newInvoice is not a Stripe call"),
        warnings.get(2));
  }

  @Test
  void builderChainsAreCallSitesWithTheirOptions() throws IOException {
    write("main", """
        stripe.newPaymentIntent()
          .amount(2000)
          .option('onSuccess', 'paid')
          .create({onError: 'failed'});
        stripe.newCustomer().email('a@b.c').create();
        var later = stripe.newRefund();
        later.create();
        """);
    write("paid", "");

    List<String> warnings = warnings();

    assertEquals(List.of(
        flows + "/main.js:4: warning: stripe.newPaymentIntent()...create: its error runs flow 'failed', but " + flows
            + "/failed.js does not exist: create it, or fix the onError option",
        flows + "/main.js:5: warning: stripe.newCustomer()...create: its answer runs flow 'new_create_customer_response',"
            + " but " + flows + "/new_create_customer_response.js does not exist: create it, or name an existing flow"
            + " with {onSuccess: '<flow>'}",
        flows + "/main.js:5: warning: stripe.newCustomer()...create: its error runs flow 'new_create_customer_error',"
            + " but " + flows + "/new_create_customer_error.js does not exist: create it, or name an existing flow"
            + " with {onError: '<flow>'}"),
        warnings);
  }

  @Test
  void filesThatDoNotParseGiveNoWarningsHere() throws IOException {
    write("broken", "stripe.paymentIntents.create({amount: 1});\nvar = 2;");
    assertEquals(List.of(), warnings());
  }

  @Test
  void checkPrintsWarningsAndOnlyStrictFailsOnThem() throws IOException {
    write("main", "log.info('x');\nstripe.customers.create({email: 'a@b.c'});");

    Result plain = check(flows.toString());
    Result strict = check("--strict", flows.toString());
    write("new_create_customer_response", "");
    write("new_create_customer_error", "");
    Result clean = check("--strict", flows.toString());
    write("broken", "var = 1;");
    Result broken = check(flows.toString());

    assertEquals(0, plain.code, plain.out);
    assertTrue(plain.out.contains("main.js:2: warning: stripe.customers.create: its answer runs flow"), plain.out);
    assertTrue(plain.out.contains("1 flow(s) checked, 0 problem(s), 2 warning(s)"), plain.out);
    assertEquals(1, strict.code, strict.out);
    assertEquals(0, clean.code, clean.out);
    assertTrue(clean.out.contains("3 flow(s) checked, 0 problem(s), 0 warning(s)"), clean.out);
    assertEquals(1, broken.code, broken.out);
    assertTrue(broken.out.contains("broken.js:1"), broken.out);
  }

  private List<String> warnings() {
    return new CallSites(flows, StripeResources.standard()).check().stream().map(Object::toString).toList();
  }

  private void write(String flow, String source) throws IOException {
    Path file = flows.resolve(flow + ".js");
    Files.createDirectories(file.getParent());
    Files.writeString(file, source);
  }

  private static Result check(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] command = new String[args.length + 1];
    command[0] = "check";
    System.arraycopy(args, 0, command, 1, args.length);
    int code = Main.execute(Map.of(), new PrintWriter(out, true), new PrintWriter(err, true), command);
    return new Result(code, out + err.toString());
  }

  private record Result(int code, String out) {}
}
