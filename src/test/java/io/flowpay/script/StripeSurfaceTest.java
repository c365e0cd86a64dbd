package io.flowpay.script;

import static io.flowpay.script.FlowEngineTest.assertFailed;
import static io.flowpay.script.FlowEngineTest.assertOk;
import static io.flowpay.script.FlowEngineTest.messages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.flow.Call;
import io.flowpay.flow.Caller;
import io.flowpay.flow.Ids;
import io.flowpay.flow.RunResult;
import io.flowpay.flow.Task;
import io.flowpay.stripe.StripeResources;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Stripe surface as a flow records it: builders, routing metadata, amounts. No I/O. */
class StripeSurfaceTest {

  private static final String WORKER = "w1";
  private static final String CONTEXT = "order_1";

  @TempDir
  static Path flows;

  private static FlowEngine engine;

  /** One engine for the class: its prelude takes about a second to compile. Every test writes its own flows. */
  @BeforeAll
  static void setUp() {
    engine = new FlowEngine(flows, StripeResources.standard());
  }

  @Test
  void everyBuilderMakesExactlyThePlainCall() throws IOException {
    write("plain", """
        stripe.customers.create({email: 'a@b.c', name: 'Ada'});
        stripe.paymentIntents.create({amount: 2000, currency: 'usd', customer: 'cus_1', metadata: {order_id: 'o1'},
          application_fee_amount: 100}, {carry: {n: 1}, stripeAccount: 'acct_1'});
        stripe.refunds.create({payment_intent: 'pi_1', amount: 500, reason: 'requested_by_customer'},
          {onSuccess: 'refunded', onError: 'refund_failed'});
        stripe.subscriptions.create({customer: 'cus_1', items: [{price: 'price_1', quantity: 2}], trial_period_days: 7},
          {idempotencyKey: 'sub-key-1', flowpayMetadata: false});
        stripe.checkout.sessions.create({mode: 'payment', line_items: [{price_data: {currency: 'usd', unit_amount: 2000,
          product_data: {name: 'T-shirt'}}, quantity: 1}], success_url: 'https://example.com/ok', custom_thing: 'x'});
        """);
    write("built", """
        stripe.newCustomer().email('a@b.c').name('Ada').create();
        stripe.newPaymentIntent().amount(2000).currency('usd').customer('cus_1').metadata({order_id: 'o1'})
          .applicationFeeAmount(100).option('carry', {n: 1}).create({stripeAccount: 'acct_1'});
        stripe.newRefund().paymentIntent('pi_1').amount(500).reason('requested_by_customer')
          .option('onSuccess', 'refunded').option('onError', 'refund_failed').create();
        stripe.newSubscription().customer('cus_1').items([{price: 'price_1', quantity: 2}]).trialPeriodDays(7)
          .create({idempotencyKey: 'sub-key-1', flowpayMetadata: false});
        stripe.newCheckoutSession().mode('payment').lineItems([{price_data: {currency: 'usd', unit_amount: 2000,
          product_data: {name: 'T-shirt'}}, quantity: 1}]).successUrl('https://example.com/ok')
          .param('custom_thing', 'x').create();
        """);
    Task plain = Task.main("plain", WORKER, CONTEXT, Caller.CLI, null);
    Task built = new Task(plain.taskId(), "built", WORKER, CONTEXT, Caller.CLI, null, null, plain.chainId(), null, 0, 1,
        plain.enqueuedAt(), null);

    List<String> expected = sent(run(plain));
    List<String> actual = sent(run(built));

    assertEquals(5, expected.size());
    assertEquals(expected, actual);
    assertTrue(expected.get(1).contains("\"idempotency_key\":\"" + Ids.idempotencyKey(plain.taskId(), 1) + "\""),
        expected.get(1));
    assertTrue(expected.get(4).contains("/v1/checkout/sessions"), expected.get(4));
  }

  @Test
  void builderSettersAreStripeParamsInCamelCase() throws IOException {
    write("setters", """
        var pi = stripe.newPaymentIntent(), cs = stripe.newCheckoutSession();
        log.info(typeof pi.applicationFeeAmount, typeof pi.paymentMethodTypes, typeof pi.setupFutureUsage,
          typeof pi.ammount, typeof pi.application_fee_amount, Object.isFrozen(pi));
        log.info(typeof cs.successUrl, typeof cs.lineItems, typeof cs.clientReferenceId, typeof stripe.newInvoice);
        try { pi.ammount(1); } catch (e) { log.error(e.name); }
        """);
    RunResult result = run(main("setters"));
    assertOk(result);
    assertEquals(List.of("function function function undefined undefined true", "function function function undefined",
        "TypeError"), messages(result));
  }

  @Test
  void resourcesAreFrozen() throws IOException {
    write("frozen", """
        var pi = stripe.paymentIntents, cs = stripe.checkout.sessions, refused = 0;
        [function () { stripe.paymentIntents.create = null; }, function () { stripe.checkout.sessions.expire = null; },
          function () { stripe.checkout = null; }].forEach(function (change) {
          try { change(); } catch (e) { if (e instanceof TypeError) refused++; }
        });
        log.info(refused, pi === stripe.paymentIntents, Object.isFrozen(pi), Object.isFrozen(stripe.checkout),
          Object.isFrozen(cs), Object.isFrozen(cs.create), typeof pi.create, typeof cs.expire,
          typeof stripe.billingPortal.sessions.create);
        log.info(Object.keys(stripe).sort().join(' '));
        """);
    RunResult result = run(main("frozen"));
    assertOk(result);
    assertEquals(List.of("3 true true true true true function function function",
        "accountLinks accounts billing billingPortal charges checkout coupons creditNotes customerSessions customers"
            + " disputes events invoiceItems invoices newCheckoutSession newCustomer newPaymentIntent newRefund"
            + " newSubscription paymentIntents paymentLinks paymentMethods prices products promotionCodes refunds request"
            + " setupIntents subscriptionItems subscriptionSchedules subscriptions taxRates transfers"), messages(result));
  }

  /** Written out from stripe-java 33.3.0's services (the paths in InvoiceService, CreditNoteService, ...). */
  @Test
  void theVerbsPeopleReachForNextSendStripesMethodPathAndForm() throws IOException {
    write("next_verbs", """
        stripe.invoiceItems.create({customer: 'cus_1', amount: 500, currency: 'usd', description: 'setup fee'});
        stripe.invoices.sendInvoice('in_1');
        stripe.invoices.markUncollectible('in_1', {});
        stripe.invoices.createPreview({customer: 'cus_1', subscription: 'sub_1'});
        stripe.subscriptionSchedules.create({customer: 'cus_1', start_date: 'now',
          phases: [{items: [{price: 'price_1', quantity: 1}], iterations: 12}]}, {flowpayMetadata: false});
        stripe.subscriptionSchedules.release('sub_sched_1');
        stripe.creditNotes.create({invoice: 'in_1', lines: [{type: 'invoice_line_item', invoice_line_item: 'il_1',
          quantity: 1}]}, {flowpayMetadata: false});
        stripe.creditNotes.voidCreditNote('cn_1');
        stripe.creditNotes.preview({invoice: 'in_1', amount: 100});
        stripe.disputes.update('dp_1', {evidence: {customer_name: 'Ada', uncategorized_text: 'delivered'}});
        stripe.disputes.close('dp_1');
        stripe.paymentLinks.create({line_items: [{price: 'price_1', quantity: 1}]}, {flowpayMetadata: false});
        stripe.paymentLinks.listLineItems('plink_1', {limit: 5});
        stripe.customerSessions.create({customer: 'cus_1', components: {pricing_table: {enabled: true}}});
        stripe.taxRates.create({display_name: 'VAT', percentage: 19.5, inclusive: false}, {flowpayMetadata: false});
        stripe.billing.meterEvents.create({event_name: 'api_calls', payload: {stripe_customer_id: 'cus_1', value: '3'}});
        stripe.accounts.create({type: 'express', country: 'US', capabilities: {transfers: {requested: true}}},
          {flowpayMetadata: false});
        stripe.accountLinks.create({account: 'acct_1', type: 'account_onboarding', refresh_url: 'https://e.com/r',
          return_url: 'https://e.com/b'});
        stripe.transfers.create({amount: 1000, currency: 'usd', destination: 'acct_1'}, {flowpayMetadata: false});
        stripe.paymentIntents.incrementAuthorization('pi_1', {amount: 2500});
        stripe.checkout.sessions.listLineItems('cs_1', {limit: 10});
        stripe.prices.search({query: "product:'prod_1'"});
        stripe.products.search({query: "active:'true'"});
        stripe.subscriptions.search({query: "status:'active'"});
        stripe.invoices.search({query: "total>1000"});
        stripe.charges.search({query: "amount>999", limit: 2});
        """);

    Task task = main("next_verbs");
    List<String> sent = run(task).effects().calls().stream()
        .map(call -> call.method() + " " + call.path() + " " + call.form() + " -> " + call.onSuccess()).toList();

    assertEquals(List.of(
        "POST /v1/invoiceitems customer=cus_1&amount=500&currency=usd&description=setup+fee&metadata[flowpay_worker]=w1"
            + "&metadata[flowpay_context]=order_1&metadata[flowpay_call]=" + Ids.callId(task.taskId(), 0)
            + " -> new_create_invoiceitem_response",
        "POST /v1/invoices/in_1/send  -> new_send_invoice_response",
        "POST /v1/invoices/in_1/mark_uncollectible  -> new_mark_uncollectible_invoice_response",
        "POST /v1/invoices/create_preview customer=cus_1&subscription=sub_1 -> new_create_preview_invoice_response",
        "POST /v1/subscription_schedules customer=cus_1&start_date=now&phases[0][items][0][price]=price_1"
            + "&phases[0][items][0][quantity]=1&phases[0][iterations]=12 -> new_create_subscription_schedule_response",
        "POST /v1/subscription_schedules/sub_sched_1/release  -> new_release_subscription_schedule_response",
        "POST /v1/credit_notes invoice=in_1&lines[0][type]=invoice_line_item&lines[0][invoice_line_item]=il_1"
            + "&lines[0][quantity]=1 -> new_create_credit_note_response",
        "POST /v1/credit_notes/cn_1/void  -> new_void_credit_note_response",
        "GET /v1/credit_notes/preview invoice=in_1&amount=100 -> new_preview_credit_note_response",
        "POST /v1/disputes/dp_1 evidence[customer_name]=Ada&evidence[uncategorized_text]=delivered"
            + " -> new_update_dispute_response",
        "POST /v1/disputes/dp_1/close  -> new_close_dispute_response",
        "POST /v1/payment_links line_items[0][price]=price_1&line_items[0][quantity]=1 -> new_create_payment_link_response",
        "GET /v1/payment_links/plink_1/line_items limit=5 -> new_list_line_items_payment_link_response",
        "POST /v1/customer_sessions customer=cus_1&components[pricing_table][enabled]=true"
            + " -> new_create_customer_session_response",
        "POST /v1/tax_rates display_name=VAT&percentage=19.5&inclusive=false -> new_create_tax_rate_response",
        "POST /v1/billing/meter_events event_name=api_calls&payload[stripe_customer_id]=cus_1&payload[value]=3"
            + " -> new_create_billing_meter_event_response",
        "POST /v1/accounts type=express&country=US&capabilities[transfers][requested]=true"
            + " -> new_create_account_response",
        "POST /v1/account_links account=acct_1&type=account_onboarding&refresh_url=https%3A%2F%2Fe.com%2Fr"
            + "&return_url=https%3A%2F%2Fe.com%2Fb -> new_create_account_link_response",
        "POST /v1/transfers amount=1000&currency=usd&destination=acct_1 -> new_create_transfer_response",
        "POST /v1/payment_intents/pi_1/increment_authorization amount=2500"
            + " -> new_increment_authorization_payment_intent_response",
        "GET /v1/checkout/sessions/cs_1/line_items limit=10 -> new_list_line_items_checkout_session_response",
        "GET /v1/prices/search query=product%3A%27prod_1%27 -> new_search_price_response",
        "GET /v1/products/search query=active%3A%27true%27 -> new_search_product_response",
        "GET /v1/subscriptions/search query=status%3A%27active%27 -> new_search_subscription_response",
        "GET /v1/invoices/search query=total%3E1000 -> new_search_invoice_response",
        "GET /v1/charges/search query=amount%3E999&limit=2 -> new_search_charge_response"), sent);
  }

  @Test
  void builderAmountsAreCheckedLikePlainCalls() throws IOException {
    write("builder_amounts", "stripe.newPaymentIntent().amount(20.5).currency('usd').create();");
    assertFailed(run(main("builder_amounts")), "script_error", "Error: stripe.paymentIntents.create: amount must be an"
        + " integer number of the smallest currency unit (e.g. 2000 for $20.00), got 20.5", 1);
  }

  @Test
  void builderOptionsMustBeAnObject() throws IOException {
    write("options", "stripe.newCustomer().option('carry', 1).create('x');");
    assertFailed(run(main("options")), "script_error",
        "Error: newCustomer().create: options must be an object like {carry: {...}}, got string", 1);
  }

  @Test
  void createCallsCarryRoutingMetadataOfTheRun() throws IOException {
    write("routing_create", """
        stripe.paymentIntents.create({amount: 100, currency: 'usd'});
        stripe.customers.create({metadata: {order_id: 'o1'}});
        stripe.checkout.sessions.create({mode: 'setup', metadata: {flowpay_context: 'elsewhere'}});
        stripe.setupIntents.create({metadata: ''});
        """);
    List<Call> calls = run(main("routing_create")).effects().calls();
    assertEquals(new JsonObject().put("flowpay_worker", WORKER).put("flowpay_context", CONTEXT)
            .put("flowpay_call", calls.get(0).callId()), calls.get(0).params().getJsonObject("metadata"));
    assertEquals("{\"order_id\":\"o1\",\"flowpay_worker\":\"w1\",\"flowpay_context\":\"order_1\",\"flowpay_call\":\""
        + calls.get(1).callId() + "\"}", calls.get(1).params().getJsonObject("metadata").encode());
    assertEquals(new JsonObject().put("flowpay_context", "elsewhere").put("flowpay_worker", WORKER)
            .put("flowpay_call", calls.get(2).callId()), calls.get(2).params().getJsonObject("metadata"));
    assertEquals("", calls.get(3).params().getString("metadata"));
  }

  @Test
  void routingMetadataOnlyWhereItBelongsOrIsAskedFor() throws IOException {
    write("routing_where", """
        stripe.paymentIntents.create({amount: 100, currency: 'usd'}, {flowpayMetadata: false});
        stripe.paymentIntents.update('pi_1', {description: 'x'});
        stripe.paymentIntents.update('pi_1', {description: 'x'}, {flowpayMetadata: true});
        stripe.billingPortal.sessions.create({customer: 'cus_1'});
        stripe.request('POST', '/v1/quotes', {customer: 'cus_1'});
        stripe.request('POST', '/v1/quotes', {customer: 'cus_1'}, {flowpayMetadata: true});
        stripe.customers.list({limit: 3});
        """);
    List<Call> calls = run(main("routing_where")).effects().calls();
    List<Boolean> tagged = calls.stream().map(call -> call.params().containsKey("metadata")).toList();
    assertEquals(List.of(false, false, true, false, false, true, false), tagged);
    assertEquals(CONTEXT, calls.get(5).params().getJsonObject("metadata").getString("flowpay_context"));
  }

  @Test
  void routingMetadataCannotGoWithGetOrDelete() throws IOException {
    write("routing_get", "stripe.customers.retrieve('cus_1', {}, {flowpayMetadata: true});");
    assertFailed(run(main("routing_get")), "script_error", "Error: stripe.customers.retrieve: option 'flowpayMetadata'"
        + " only applies to POST calls (metadata cannot be sent with GET)", 1);
    write("routing_flag", "stripe.customers.create({}, {flowpayMetadata: 'no'});");
    assertFailed(run(main("routing_flag")), "script_error",
        "Error: stripe.customers.create: option 'flowpayMetadata' must be true or false, got \"no\"", 1);
  }

  @Test
  void everyAmountParamMustBeAnInteger() throws IOException {
    write("amounts", """
        function attempt(f) { try { f(); log.info('sent'); } catch (e) { log.error(e.message); } }
        attempt(() => stripe.checkout.sessions.create({line_items: [{price_data: {unit_amount: '2000'}}]}));
        attempt(() => stripe.coupons.create({amount_off: 1.5, currency: 'usd'}));
        attempt(() => stripe.paymentIntents.create({amount: 2000, application_fee_amount: '100'}));
        attempt(() => stripe.paymentIntents.capture('pi_1', {amount_to_capture: 10.01}));
        attempt(() => stripe.prices.create({custom_unit_amount: {enabled: true, minimum: 1.5}}));
        attempt(() => stripe.subscriptions.create({items: [{price_data: {unit_amount: 99.9}}]}));
        attempt(() => stripe.request('POST', '/v1/shipping_rates', {fixed_amount: {amount: true}}));
        attempt(() => stripe.newCheckoutSession().lineItems([{price_data: {unit_amount: 20.5}}]).create());
        attempt(() => stripe.prices.create({unit_amount_decimal: '12.5', custom_unit_amount: {enabled: true},
          currency: 'usd'}));
        attempt(() => stripe.paymentIntents.create({amount: 2000, amount_details: {line_items: []},
          payment_method_options: {card: {mandate_options: {amount: 100, amount_type: 'fixed'}}}}));
        """);
    RunResult result = run(main("amounts"));
    assertOk(result);
    String rule = " must be an integer number of the smallest currency unit (e.g. 2000 for $20.00), got ";
    assertEquals(List.of(
        "stripe.checkout.sessions.create: line_items[0].price_data.unit_amount" + rule + "\"2000\"",
        "stripe.coupons.create: amount_off" + rule + "1.5",
        "stripe.paymentIntents.create: application_fee_amount" + rule + "\"100\"",
        "stripe.paymentIntents.capture: amount_to_capture" + rule + "10.01",
        "stripe.prices.create: custom_unit_amount.minimum" + rule + "1.5",
        "stripe.subscriptions.create: items[0].price_data.unit_amount" + rule + "99.9",
        "stripe.request: fixed_amount.amount" + rule + "true",
        "stripe.checkout.sessions.create: line_items[0].price_data.unit_amount" + rule + "20.5",
        "sent", "sent"), messages(result));
    assertEquals(2, result.effects().calls().size());
  }

  @Test
  void specialVerbsHaveStripePathsAndFlowNames() throws IOException {
    write("verbs", """
        stripe.invoices.finalizeInvoice('in_1');
        stripe.invoices.voidInvoice('in_1');
        stripe.subscriptions.cancel('sub_1', {invoice_now: true});
        stripe.checkout.sessions.expire('cs_1');
        stripe.billingPortal.sessions.create({customer: 'cus_1'});
        stripe.customers.search({query: "email:'a@b.c'"});
        """);
    List<Call> calls = run(main("verbs")).effects().calls();
    assertEquals(List.of(
        "POST /v1/invoices/in_1/finalize new_finalize_invoice_response new_finalize_invoice_error",
        "POST /v1/invoices/in_1/void new_void_invoice_response new_void_invoice_error",
        "DELETE /v1/subscriptions/sub_1 new_cancel_subscription_response new_cancel_subscription_error",
        "POST /v1/checkout/sessions/cs_1/expire new_expire_checkout_session_response new_expire_checkout_session_error",
        "POST /v1/billing_portal/sessions new_create_billing_portal_session_response"
            + " new_create_billing_portal_session_error",
        "GET /v1/customers/search new_search_customer_response new_search_customer_error"),
        calls.stream().map(call -> call.method() + " " + call.path() + " " + call.onSuccess() + " " + call.onError())
            .toList());
    assertNull(calls.get(4).params().getValue("metadata"));
  }

  @Test
  void unknownVerbIsATypeErrorAtItsLine() throws IOException {
    write("unknown", "log.info('x');\nstripe.invoices.finalize('in_1');");
    RunResult result = run(main("unknown"));
    assertFailed(result, "script_error", null, 2);
    assertTrue(result.error().message().startsWith("TypeError: "), result.error().message());
    assertFalse(result.effects().logs().isEmpty());
  }

  /** Each call as it would be sent, minus the task that made it (whose flow name differs). */
  private static List<String> sent(RunResult result) {
    assertOk(result);
    return result.effects().calls().stream().map(call -> call.toJson().put("origin", null).encode()).toList();
  }

  private RunResult run(Task task) {
    return engine.run(task, Map.of());
  }

  private static Task main(String flow) {
    return Task.main(flow, WORKER, CONTEXT, Caller.CLI, null);
  }

  private static void write(String flow, String source) throws IOException {
    Files.writeString(flows.resolve(flow + ".js"), source);
  }
}
