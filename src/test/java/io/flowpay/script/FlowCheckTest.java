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

/** What {@code flowpay check} finds in flow files, read without running them: each finding with file:line:column and a fix. */
class FlowCheckTest {

  @TempDir
  Path flows;

  @Test
  void missingDefaultResponseAndErrorFlowsAreWarnings() throws IOException {
    write("main", """
        ctx.set('a', 1);
        stripe.paymentIntents.create({amount: 2000, currency: 'usd'});
        stripe.checkout.sessions.create(
          {mode: 'payment'});
        """);
    write("new_create_payment_intent_error", "");
    write("new_create_checkout_session_response", "");

    assertEquals(List.of(
        flows + "/main.js:2:1: warning: stripe.paymentIntents.create: its answer runs flow"
            + " 'new_create_payment_intent_response', but " + flows + "/new_create_payment_intent_response.js does"
            + " not exist: create it, or name an existing flow with {onSuccess: '<flow>'}",
        flows + "/main.js:3:1: warning: stripe.checkout.sessions.create: its error runs flow"
            + " 'new_create_checkout_session_error', but " + flows + "/new_create_checkout_session_error.js does"
            + " not exist: create it, or name an existing flow with {onError: '<flow>'}"),
        findings());
  }

  @Test
  void literalOnSuccessAndOnErrorMustNameAnExistingFlowAndComputedOptionsAreNotGuessed() throws IOException {
    write("main", """
        stripe.refunds.create({payment_intent: 'pi_1'}, {onSuccess: 'refunded', 'onError': 'billing/refund_failed'});
        stripe.customers.update('cus_1', {name: 'A'}, {carry: 1, onSuccess: 'refundd', onError: 'main'});
        stripe.customers.del('cus_1', {}, options);
        stripe.customers.retrieve('cus_1', {}, {onSuccess: 'cust_' + 'x', onError: 'main'});
        stripe.invoices.voidInvoice('in_1', null, {onSuccess: 'Bad-Name', onError: 'main'});
        """);
    write("refunded", "");

    assertEquals(List.of(
        flows + "/main.js:1:85: error: stripe.refunds.create: onError names flow 'billing/refund_failed', but " + flows
            + "/billing/refund_failed.js does not exist: create it, or fix the onError option",
        flows + "/main.js:2:70: error: stripe.customers.update: onSuccess names flow 'refundd', but " + flows
            + "/refundd.js does not exist: did you mean 'refunded'? create it, or fix the onSuccess option",
        flows + "/main.js:5:56: error: stripe.invoices.voidInvoice: onSuccess 'Bad-Name' is not a flow name: use"
            + " snake_case like 'new_create_payment_intent_response' (letters, digits, '_', and '/' for a sub-folder)"),
        findings());
  }

  @Test
  void unknownResourcesVerbsAndCallsAreErrorsWithTheClosestName() throws IOException {
    write("main", """
        stripe.paymentIntent.create({});
        stripe.customers.crate({email: 'a@b.c'});
        stripe.newInvoce();
        stripe.billingPortal.sessions.create({customer: 'cus_1'}, {onSuccess: 'main', onError: 'main'});
        stripe.request('POST', '/v1/quotes', {}, {onSuccess: 'main', onError: 'main'});
        stripe.checkout.session.create({});
        stripe.invoices.finalize('in_1');
        """);

    List<String> findings = findings();

    assertEquals(5, findings.size(), String.join("\n", findings));
    assertTrue(findings.get(0).startsWith(flows + "/main.js:1:8: error: stripe.paymentIntent is not a Stripe resource"
        + " Flowpay knows: did you mean stripe.paymentIntents? known: paymentIntents, setupIntents,"), findings.get(0));
    assertTrue(findings.get(1).startsWith(flows + "/main.js:2:18: error: stripe.customers.crate is not a verb Flowpay"
        + " knows: did you mean stripe.customers.create? stripe.customers has create, retrieve, update, del, list, search;"
        + " call other endpoints with stripe.request(method, path, params)"), findings.get(1));
    assertTrue(findings.get(2).startsWith(flows + "/main.js:3:8: error: stripe.newInvoce is not a Stripe call Flowpay"
        + " knows: use stripe.<resource>.<verb>(...), a builder (stripe.newPaymentIntent(),"), findings.get(2));
    assertTrue(findings.get(3).startsWith(flows + "/main.js:6:8: error: stripe.checkout.session is not a Stripe resource"
        + " Flowpay knows: did you mean stripe.checkout.sessions?"), findings.get(3));
    assertTrue(findings.get(4).startsWith(flows + "/main.js:7:17: error: stripe.invoices.finalize is not a verb Flowpay"
        + " knows: did you mean stripe.invoices.finalizeInvoice?"), findings.get(4));
  }

  @Test
  void builderSettersAreCheckedAgainstStripeParamsAndChainsKeepTheirOptions() throws IOException {
    write("main", """
        stripe.newPaymentIntent()
          .amount(2000)
          .option('onSuccess', 'paid')
          .create({onError: 'failed'});
        stripe.newCustomer().emial('a@b.c').param('x', 1).create({onSuccess: 'paid', onError: 'paid'});
        stripe.newCheckoutSession().successUrl('u').lineItems([]).mode('payment')
          .create({onSuccess: 'paid', onError: 'paid'});
        var later = stripe.newRefund();
        later.create();
        """);
    write("paid", "");

    assertEquals(List.of(
        flows + "/main.js:4:22: error: stripe.newPaymentIntent()...create: onError names flow 'failed', but " + flows
            + "/failed.js does not exist: create it, or fix the onError option",
        flows + "/main.js:5:22: error: stripe.newCustomer().emial is not a setter of stripe.customers.create's params"
            + " (as stripe-java knows them): did you mean .email? set other params with .param('name', value)"),
        findings());
  }

  @Test
  void dispatchAndAfterTargetsGivenAsLiteralsMustExist() throws IOException {
    write("main", """
        flow.dispatch('refund_ordr', {});
        flow.after(60000, 'dunning/remind', {}, {context: 'x'});
        flow.after(60000, 'dunning/remnd', {});
        flow.dispatch(input.next, {});
        flow.dispach('refund_order', {});
        flow.dispatch('sink', {}, {worker: 'elsewhere'});
        """);
    write("refund_order", "");
    write("dunning/remind", "");

    assertEquals(List.of(
        flows + "/main.js:1:16: error: flow.dispatch names flow 'refund_ordr', but " + flows + "/refund_ordr.js does not"
            + " exist: did you mean 'refund_order'? create it, or fix the name",
        flows + "/main.js:3:20: error: flow.after names flow 'dunning/remnd', but " + flows + "/dunning/remnd.js does not"
            + " exist: did you mean 'dunning/remind'? create it, or fix the name",
        flows + "/main.js:5:6: error: flow.dispach is not a function of flow: did you mean flow.dispatch? flow has"
            + " dispatch(name, input[, {worker, context}]) and after(ms, name, input[, {worker, context}])",
        flows + "/main.js:6:16: warning: flow.dispatch names flow 'sink', but " + flows + "/sink.js does not exist:"
            + " create it, or fix the name, or make sure the processes serving that worker have it"),
        findings());
  }

  @Test
  void membersTheRunsObjectsDoNotHaveAreErrorsUnlessTheFlowNamesItsOwn() throws IOException {
    write("main", """
        flow.state.paid = true;
        log.debug('paying', ctx.all());
        var saved = ctx.put('paid', true);
        function helper(log) { log.debug('a logger of its own'); }
        ctx.set('paid', flow.dispatch('x_done', {}) !== null);
        log.info(meta.flow);
        """);
    write("x_done", "");

    assertEquals(List.of(
        flows + "/main.js:1:6: error: flow.state is not a function of flow: flow has dispatch(name, input[, {worker,"
            + " context}]) and after(ms, name, input[, {worker, context}])",
        flows + "/main.js:2:5: error: log.debug is not a function of log: log has info(...) and warn(...) and error(...)",
        flows + "/main.js:3:17: error: ctx.put is not a function of ctx: ctx has get(key) and set(key, value) and del(key)"
            + " and all()"),
        findings());
  }

  @Test
  void webhookFlowsMustNameAStripeEventType() throws IOException {
    write("on_payment_intent_succeeded", "");
    write("on_payment_intent_succeded", "");
    write("billing/on_invoice_paid", "");
    write("on_nothing_like_it", "");
    write("one_thing", "");

    List<String> findings = findings();

    assertEquals(List.of(
        flows + "/on_nothing_like_it.js:1:1: error: flow 'on_nothing_like_it' is named like a webhook flow"
            + " (on_<event type>), but no Stripe event type is named 'nothing_like_it' (with dots as underscores), so no"
            + " event would ever run it: rename the file after a Stripe event type (dots as underscores:"
            + " payment_intent.succeeded runs on_payment_intent_succeeded), or drop the on_ prefix if it is not a webhook flow",
        flows + "/on_payment_intent_succeded.js:1:1: error: flow 'on_payment_intent_succeded' is named like a webhook"
            + " flow (on_<event type>), but no Stripe event type is named 'payment_intent_succeded' (with dots as"
            + " underscores), so no event would ever run it: did you mean on_payment_intent_succeeded (event"
            + " payment_intent.succeeded)? rename the file"),
        findings);
  }

  @Test
  void assignmentsToUndeclaredNamesAreErrors() throws IOException {
    write("main", """
        var declared = 1;
        declared = 2;
        total = 1;
        for (let i = 0; i < 2; i++) { count++; }
        for (key in input) { }
        function f(a) { a = 2; var b; b = 3; hoisted = 4; later = 5; var later; }
        const g = (x) => { x += 1; nope -= 1; };
        try { } catch (e) { e = null; }
        input = {};
        Math = null;
        """);

    List<String> findings = findings();

    assertEquals(List.of("3:1 total", "4:31 count", "5:6 key", "6:38 hoisted", "7:28 nope", "10:1 Math"),
        findings.stream().map(finding -> finding.replaceAll("^.*main\\.js:(\\d+:\\d+): error: '(\\w+)'.*$", "$1 $2"))
            .toList(), String.join("\n", findings));
    assertTrue(findings.get(0).endsWith("'total' is assigned but never declared: flows run in strict mode, so this"
        + " throws ReferenceError (or TypeError for a built-in) when it runs: declare it with var, let or const (e.g."
        + " 'let total = ...'), or assign to a property of an object you declared"), findings.get(0));
  }

  @Test
  void filesThatDoNotParseGiveNoFindingsHere() throws IOException {
    write("broken", "stripe.paymentIntents.crate({amount: 1});\nvar = 2;");
    assertEquals(List.of(), findings());
  }

  @Test
  void checkExitsOneOnErrorsAndOnWarningsOnlyWhenStrict() throws IOException {
    write("main", "log.info('x');\nstripe.customers.create({email: 'a@b.c'});");

    Result plain = check(flows.toString());
    Result strict = check("--strict", flows.toString());
    write("new_create_customer_response", "");
    write("new_create_customer_error", "");
    Result clean = check("--strict", flows.toString());
    write("typo", "stripe.customers.crate({});");
    Result typo = check(flows.toString());
    write("broken", "\nvar = 1;");
    Result broken = check(flows.toString());

    assertEquals(0, plain.code, plain.out);
    assertTrue(plain.out.contains("main.js:2:1: warning: stripe.customers.create: its answer runs flow"), plain.out);
    assertTrue(plain.out.contains("1 flow(s) checked, 0 error(s), 2 warning(s)"), plain.out);
    assertEquals(1, strict.code, strict.out);
    assertEquals(0, clean.code, clean.out);
    assertTrue(clean.out.contains("3 flow(s) checked, 0 error(s), 0 warning(s)"), clean.out);
    assertEquals(1, typo.code, typo.out);
    assertTrue(typo.out.contains("typo.js:1:18: error: stripe.customers.crate is not a verb"), typo.out);
    assertEquals(1, typo.out.lines().filter(line -> line.contains("typo.js")).count(), "once, not again as a compile"
        + " problem: " + typo.out);
    assertEquals(1, broken.code, broken.out);
    assertTrue(broken.out.contains("broken.js:2:5: error: SyntaxError: "), broken.out);
  }

  private List<String> findings() {
    return new FlowCheck(flows, StripeResources.standard()).check().stream().map(Object::toString).toList();
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
