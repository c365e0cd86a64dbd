package io.flowpay.stripe;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.request;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.flowpay.FlowpayHarness.fixture;
import static io.flowpay.FlowpayHarness.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.flowpay.FlowpayHarness;
import io.flowpay.TestRedis;
import io.flowpay.flow.Ids;
import io.flowpay.flow.Task;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code stripe.<resource>.<verb>} of the table, end to end: a flow makes the call, WireMock
 * (as Stripe) checks what it received and answers with Stripe's example object, and the default
 * response flow sees that object on the same worker and context. The rows are written out here, from
 * stripe-java's services, not read from {@link StripeResources}.
 */
@ExtendWith(TestRedis.Extension.class)
class StripeSurfaceIT {

  /** {@code resource verb METHOD path flow-action object [routing]}; ids in paths are {@code x_1}. */
  private static final List<String> TABLE = List.of(
      "paymentIntents create POST /v1/payment_intents create payment_intent routing",
      "paymentIntents retrieve GET /v1/payment_intents/x_1 retrieve payment_intent",
      "paymentIntents update POST /v1/payment_intents/x_1 update payment_intent",
      "paymentIntents confirm POST /v1/payment_intents/x_1/confirm confirm payment_intent",
      "paymentIntents capture POST /v1/payment_intents/x_1/capture capture payment_intent",
      "paymentIntents cancel POST /v1/payment_intents/x_1/cancel cancel payment_intent",
      "paymentIntents list GET /v1/payment_intents list payment_intent",
      "paymentIntents search GET /v1/payment_intents/search search payment_intent",
      "setupIntents create POST /v1/setup_intents create setup_intent routing",
      "setupIntents retrieve GET /v1/setup_intents/x_1 retrieve setup_intent",
      "setupIntents update POST /v1/setup_intents/x_1 update setup_intent",
      "setupIntents confirm POST /v1/setup_intents/x_1/confirm confirm setup_intent",
      "setupIntents cancel POST /v1/setup_intents/x_1/cancel cancel setup_intent",
      "setupIntents list GET /v1/setup_intents list setup_intent",
      "paymentMethods create POST /v1/payment_methods create payment_method routing",
      "paymentMethods retrieve GET /v1/payment_methods/x_1 retrieve payment_method",
      "paymentMethods update POST /v1/payment_methods/x_1 update payment_method",
      "paymentMethods attach POST /v1/payment_methods/x_1/attach attach payment_method",
      "paymentMethods detach POST /v1/payment_methods/x_1/detach detach payment_method",
      "paymentMethods list GET /v1/payment_methods list payment_method",
      "customers create POST /v1/customers create customer routing",
      "customers retrieve GET /v1/customers/x_1 retrieve customer",
      "customers update POST /v1/customers/x_1 update customer",
      "customers del DELETE /v1/customers/x_1 delete customer",
      "customers list GET /v1/customers list customer",
      "customers search GET /v1/customers/search search customer",
      "products create POST /v1/products create product routing",
      "products retrieve GET /v1/products/x_1 retrieve product",
      "products update POST /v1/products/x_1 update product",
      "products del DELETE /v1/products/x_1 delete product",
      "products list GET /v1/products list product",
      "prices create POST /v1/prices create price routing",
      "prices retrieve GET /v1/prices/x_1 retrieve price",
      "prices update POST /v1/prices/x_1 update price",
      "prices list GET /v1/prices list price",
      "coupons create POST /v1/coupons create coupon routing",
      "coupons retrieve GET /v1/coupons/x_1 retrieve coupon",
      "coupons update POST /v1/coupons/x_1 update coupon",
      "coupons del DELETE /v1/coupons/x_1 delete coupon",
      "coupons list GET /v1/coupons list coupon",
      "promotionCodes create POST /v1/promotion_codes create promotion_code routing",
      "promotionCodes retrieve GET /v1/promotion_codes/x_1 retrieve promotion_code",
      "promotionCodes update POST /v1/promotion_codes/x_1 update promotion_code",
      "promotionCodes list GET /v1/promotion_codes list promotion_code",
      "subscriptions create POST /v1/subscriptions create subscription routing",
      "subscriptions retrieve GET /v1/subscriptions/x_1 retrieve subscription",
      "subscriptions update POST /v1/subscriptions/x_1 update subscription",
      "subscriptions resume POST /v1/subscriptions/x_1/resume resume subscription",
      "subscriptions list GET /v1/subscriptions list subscription",
      "subscriptions cancel DELETE /v1/subscriptions/x_1 cancel subscription",
      "subscriptionItems create POST /v1/subscription_items create subscription_item routing",
      "subscriptionItems retrieve GET /v1/subscription_items/x_1 retrieve subscription_item",
      "subscriptionItems update POST /v1/subscription_items/x_1 update subscription_item",
      "subscriptionItems del DELETE /v1/subscription_items/x_1 delete subscription_item",
      "subscriptionItems list GET /v1/subscription_items list subscription_item",
      "invoices create POST /v1/invoices create invoice routing",
      "invoices retrieve GET /v1/invoices/x_1 retrieve invoice",
      "invoices update POST /v1/invoices/x_1 update invoice",
      "invoices del DELETE /v1/invoices/x_1 delete invoice",
      "invoices pay POST /v1/invoices/x_1/pay pay invoice",
      "invoices list GET /v1/invoices list invoice",
      "invoices finalizeInvoice POST /v1/invoices/x_1/finalize finalize invoice",
      "invoices voidInvoice POST /v1/invoices/x_1/void void invoice",
      "refunds create POST /v1/refunds create refund routing",
      "refunds retrieve GET /v1/refunds/x_1 retrieve refund",
      "refunds update POST /v1/refunds/x_1 update refund",
      "refunds cancel POST /v1/refunds/x_1/cancel cancel refund",
      "refunds list GET /v1/refunds list refund",
      "charges retrieve GET /v1/charges/x_1 retrieve charge",
      "charges list GET /v1/charges list charge",
      "checkout.sessions create POST /v1/checkout/sessions create checkout.session routing",
      "checkout.sessions retrieve GET /v1/checkout/sessions/x_1 retrieve checkout.session",
      "checkout.sessions expire POST /v1/checkout/sessions/x_1/expire expire checkout.session",
      "checkout.sessions list GET /v1/checkout/sessions list checkout.session",
      "billingPortal.sessions create POST /v1/billing_portal/sessions create billing_portal.session",
      "events retrieve GET /v1/events/x_1 retrieve event",
      "events list GET /v1/events list event",
      "paymentIntents incrementAuthorization POST /v1/payment_intents/x_1/increment_authorization"
          + " increment_authorization payment_intent",
      "customerSessions create POST /v1/customer_sessions create customer_session",
      "products search GET /v1/products/search search product",
      "prices search GET /v1/prices/search search price",
      "taxRates create POST /v1/tax_rates create tax_rate routing",
      "taxRates retrieve GET /v1/tax_rates/x_1 retrieve tax_rate",
      "taxRates update POST /v1/tax_rates/x_1 update tax_rate",
      "taxRates list GET /v1/tax_rates list tax_rate",
      "subscriptions search GET /v1/subscriptions/search search subscription",
      "subscriptionSchedules create POST /v1/subscription_schedules create subscription_schedule routing",
      "subscriptionSchedules retrieve GET /v1/subscription_schedules/x_1 retrieve subscription_schedule",
      "subscriptionSchedules update POST /v1/subscription_schedules/x_1 update subscription_schedule",
      "subscriptionSchedules cancel POST /v1/subscription_schedules/x_1/cancel cancel subscription_schedule",
      "subscriptionSchedules release POST /v1/subscription_schedules/x_1/release release subscription_schedule",
      "subscriptionSchedules list GET /v1/subscription_schedules list subscription_schedule",
      "invoices markUncollectible POST /v1/invoices/x_1/mark_uncollectible mark_uncollectible invoice",
      "invoices search GET /v1/invoices/search search invoice",
      "invoices sendInvoice POST /v1/invoices/x_1/send send invoice",
      "invoices createPreview POST /v1/invoices/create_preview create_preview invoice",
      "invoiceItems create POST /v1/invoiceitems create invoiceitem routing",
      "invoiceItems retrieve GET /v1/invoiceitems/x_1 retrieve invoiceitem",
      "invoiceItems update POST /v1/invoiceitems/x_1 update invoiceitem",
      "invoiceItems del DELETE /v1/invoiceitems/x_1 delete invoiceitem",
      "invoiceItems list GET /v1/invoiceitems list invoiceitem",
      "creditNotes create POST /v1/credit_notes create credit_note routing",
      "creditNotes retrieve GET /v1/credit_notes/x_1 retrieve credit_note",
      "creditNotes update POST /v1/credit_notes/x_1 update credit_note",
      "creditNotes list GET /v1/credit_notes list credit_note",
      "creditNotes voidCreditNote POST /v1/credit_notes/x_1/void void credit_note",
      "creditNotes preview GET /v1/credit_notes/preview preview credit_note",
      "charges search GET /v1/charges/search search charge",
      "disputes retrieve GET /v1/disputes/x_1 retrieve dispute",
      "disputes update POST /v1/disputes/x_1 update dispute",
      "disputes close POST /v1/disputes/x_1/close close dispute",
      "disputes list GET /v1/disputes list dispute",
      "checkout.sessions listLineItems GET /v1/checkout/sessions/x_1/line_items list_line_items checkout.session",
      "paymentLinks create POST /v1/payment_links create payment_link routing",
      "paymentLinks retrieve GET /v1/payment_links/x_1 retrieve payment_link",
      "paymentLinks update POST /v1/payment_links/x_1 update payment_link",
      "paymentLinks list GET /v1/payment_links list payment_link",
      "paymentLinks listLineItems GET /v1/payment_links/x_1/line_items list_line_items payment_link",
      "billing.meterEvents create POST /v1/billing/meter_events create billing.meter_event",
      "accounts create POST /v1/accounts create account routing",
      "accounts retrieve GET /v1/accounts/x_1 retrieve account",
      "accounts update POST /v1/accounts/x_1 update account",
      "accounts del DELETE /v1/accounts/x_1 delete account",
      "accounts list GET /v1/accounts list account",
      "accountLinks create POST /v1/account_links create account_link",
      "transfers create POST /v1/transfers create transfer routing",
      "transfers retrieve GET /v1/transfers/x_1 retrieve transfer",
      "transfers update POST /v1/transfers/x_1 update transfer",
      "transfers list GET /v1/transfers list transfer");

  private record Row(int index, String resource, String verb, String method, String path, String action,
      String object, boolean routing) {

    static Row parse(int index, String line) {
      String[] f = line.split(" ");
      return new Row(index, f[0], f[1], f[2], f[3], f[4], f[5], f.length > 6);
    }

    boolean needsId() {
      return path.contains("/x_1");
    }

    String flow(boolean success) {
      return "new_" + action + "_" + object.replace('.', '_') + (success ? "_response" : "_error");
    }

    JsonObject params() {
      if (method.equals("POST")) {
        return new JsonObject().put("description", "d").put("metadata", new JsonObject().put("order_id", "o1"))
            .put("expand", new JsonArray().add("latest_charge"));
      }
      return action.equals("search") ? new JsonObject().put("query", "status:'active'").put("limit", 3)
          : new JsonObject().put("limit", 3).put("expand", new JsonArray().add("data.customer"));
    }

    /** What Stripe gets for {@link #params()}: the form body of a POST, the query of a GET or DELETE. */
    String form(String worker, String context, String callId) {
      if (method.equals("POST")) {
        String routingKeys = routing ? "&metadata[flowpay_worker]=" + worker + "&metadata[flowpay_context]=" + context
            + "&metadata[flowpay_call]=" + callId : "";
        return "description=d&metadata[order_id]=o1" + routingKeys + "&expand[0]=latest_charge";
      }
      return action.equals("search") ? "query=status%3A%27active%27&limit=3" : "limit=3&expand[0]=data.customer";
    }

    /** Stripe's answer: the example object, a deleted stub, or a list/search page of it. */
    JsonObject answer() {
      return switch (action) {
        case "delete" -> fixture("deleted_" + object);
        case "list" -> new JsonObject().put("object", "list").put("data", new JsonArray().add(fixture(object)))
            .put("has_more", false).put("url", path);
        case "list_line_items" -> new JsonObject().put("object", "list").put("data", new JsonArray().add(fixture("item")))
            .put("has_more", false).put("url", path);
        case "search" -> new JsonObject().put("object", "search_result").put("data", new JsonArray().add(fixture(object)))
            .put("has_more", false).putNull("next_page").put("url", path);
        default -> fixture(object);
      };
    }

    @Override
    public String toString() {
      return resource + "." + verb;
    }
  }

  @TempDir
  static Path flows;
  private static FlowpayHarness flowpay;

  @BeforeAll
  static void start(TestRedis redis) {
    write(flows, "call", """
        var node = input.resource.split('.').reduce(function (parent, part) { return parent[part]; }, stripe);
        var id = input.id ? node[input.verb](input.id, input.params, input.options)
          : node[input.verb](input.params, input.options);
        ctx.set('call_id', id);
        """);
    for (Row row : rows().toList()) {
      write(flows, row.flow(true), "ctx.set('seen', response); ctx.set('request', request);");
      write(flows, row.flow(false), "ctx.set('error', error);");
    }
    flowpay = new FlowpayHarness(redis, flows);
  }

  @AfterAll
  static void stop() {
    flowpay.close();
  }

  @BeforeEach
  void reset() {
    flowpay.stripe.resetAll();
  }

  static Stream<Row> rows() {
    return Stream.iterate(0, i -> i + 1).limit(TABLE.size()).map(i -> Row.parse(i, TABLE.get(i)));
  }

  @Test
  void theTableHereHasEveryEndpointOfTheResourceTable() {
    List<String> here = rows().map(row -> row.resource() + "." + row.verb() + " " + row.method()).sorted().toList();
    List<String> table = StripeResources.standard().endpoints().stream()
        .map(endpoint -> endpoint.resource() + "." + endpoint.verb() + " " + endpoint.method()).sorted().toList();
    assertEquals(here, table);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void everyVerbSendsStripesRequestAndItsResponseFlowSeesTheAnswer(Row row) {
    JsonObject answer = row.answer();
    flowpay.stripe.stubFor(request(row.method(), urlPathEqualTo(row.path())).willReturn(okJson(answer.encode())));
    String account = row.index() % 2 == 0 ? "acct_" + row.index() : null;
    String context = "ctx-" + Ids.newId();
    JsonObject input = new JsonObject().put("resource", row.resource()).put("verb", row.verb())
        .put("params", row.params()).put("options", account == null ? new JsonObject()
            : new JsonObject().put("stripeAccount", account));
    if (row.needsId()) {
      input.put("id", "x_1");
    }

    Task task = flowpay.start("call", context, input);
    List<JsonObject> runs = flowpay.settle(task);

    assertEquals(List.of("call ok", row.flow(true) + " ok"),
        runs.stream().map(run -> run.getString("flow") + " " + run.getString("status")).toList(), runs::toString);
    assertReceived(received(), row, task, context, account);
    JsonObject state = flowpay.state(context);
    assertEquals(answer, state.getJsonObject("seen"));
    assertEquals(row.path(), state.getJsonObject("request").getString("path"));
    assertEquals(Ids.callId(task.taskId(), 0), state.getJsonObject("request").getString("call_id"));
  }

  private void assertReceived(LoggedRequest request, Row row, Task task, String context, String account) {
    String form = row.form(flowpay.worker, context, Ids.callId(task.taskId(), 0));
    assertEquals(row.method(), request.getMethod().getName());
    assertEquals("Bearer " + FlowpayHarness.TEST_KEY, request.getHeader("Authorization"));
    assertEquals(FlowpayHarness.API_VERSION, request.getHeader("Stripe-Version"));
    assertEquals(account, request.getHeader("Stripe-Account"));
    if (row.method().equals("POST")) {
      assertEquals(row.path(), request.getUrl());
      assertEquals(form, request.getBodyAsString());
      assertEquals("application/x-www-form-urlencoded", request.getHeader("Content-Type"));
    } else {
      assertEquals(row.path() + "?" + form, request.getUrl());
      assertEquals("", request.getBodyAsString());
    }
    String key = row.method().equals("GET") ? null : Ids.idempotencyKey(task.taskId(), 0);
    assertEquals(key, request.getHeader("Idempotency-Key"));
  }

  @Test
  void nestedParamsAreEncodedTheWayStripeReadsThem() {
    flowpay.stripe.stubFor(request("POST", urlPathEqualTo("/v1/checkout/sessions"))
        .willReturn(okJson(fixture("checkout.session").encode())));
    write(flows, "nested", """
        stripe.checkout.sessions.create({mode: 'payment', line_items: [{price_data: {currency: 'usd', unit_amount: 2000,
          product_data: {name: 'T-shirt', metadata: {sku: 's 1'}}}, quantity: 2}, {price: 'price_1', quantity: 1}],
          payment_method_types: ['card'], success_url: 'https://example.com/ok?x=1&y=2', allow_promotion_codes: true,
          expand: ['payment_intent', 'line_items'], metadata: {order_id: 'o1'}}, {flowpayMetadata: false});
        """);

    Task task = flowpay.start("nested", "ctx-" + Ids.newId(), null);
    flowpay.settle(task);

    assertEquals("mode=payment"
        + "&line_items[0][price_data][currency]=usd&line_items[0][price_data][unit_amount]=2000"
        + "&line_items[0][price_data][product_data][name]=T-shirt"
        + "&line_items[0][price_data][product_data][metadata][sku]=s+1&line_items[0][quantity]=2"
        + "&line_items[1][price]=price_1&line_items[1][quantity]=1"
        + "&payment_method_types[0]=card&success_url=https%3A%2F%2Fexample.com%2Fok%3Fx%3D1%26y%3D2"
        + "&allow_promotion_codes=true&expand[0]=payment_intent&expand[1]=line_items&metadata[order_id]=o1",
        received().getBodyAsString());
  }

  @Test
  void builderSendsWhatThePlainCallSends() {
    flowpay.stripe.stubFor(request("POST", urlPathEqualTo("/v1/payment_intents"))
        .willReturn(okJson(fixture("payment_intent").encode())));
    write(flows, "plain", "stripe.paymentIntents.create({amount: 2000, currency: 'usd', customer: 'cus_1',"
        + " metadata: {order_id: 'o1'}}, {stripeAccount: 'acct_1'});");
    write(flows, "built", "stripe.newPaymentIntent().amount(2000).currency('usd').customer('cus_1')"
        + ".metadata({order_id: 'o1'}).option('stripeAccount', 'acct_1').create();");
    String context = "ctx-" + Ids.newId();

    Task plain = flowpay.start("plain", context, null);
    flowpay.settle(plain);
    LoggedRequest plainRequest = received();
    flowpay.stripe.resetRequests();
    Task built = flowpay.start("built", context, null);
    flowpay.settle(built);
    LoggedRequest builtRequest = received();

    assertEquals("amount=2000&currency=usd&customer=cus_1&metadata[order_id]=o1&metadata[flowpay_worker]="
        + flowpay.worker + "&metadata[flowpay_context]=" + context + "&metadata[flowpay_call]="
        + Ids.callId(plain.taskId(), 0), plainRequest.getBodyAsString());
    assertEquals(plainRequest.getBodyAsString().replace(plain.taskId(), built.taskId()), builtRequest.getBodyAsString());
    assertEquals(plainRequest.getUrl(), builtRequest.getUrl());
    assertEquals("acct_1", builtRequest.getHeader("Stripe-Account"));
    assertEquals(Ids.idempotencyKey(built.taskId(), 0), builtRequest.getHeader("Idempotency-Key"));
    assertEquals(fixture("payment_intent"), flowpay.state(context).getJsonObject("seen"));
  }

  @Test
  void routingMetadataCanBeTurnedOffOrSetByTheFlow() {
    flowpay.stripe.stubFor(request("POST", urlPathEqualTo("/v1/customers"))
        .willReturn(okJson(fixture("customer").encode())));
    write(flows, "routing", """
        stripe.customers.create({email: 'a@b.c'}, {flowpayMetadata: false});
        stripe.customers.create({email: 'a@b.c', metadata: {flowpay_context: 'shared'}});
        """);
    String context = "ctx-" + Ids.newId();

    flowpay.settle(flowpay.start("routing", context, null));

    List<String> bodies = flowpay.stripe.findAll(anyRequestedFor(anyUrl())).stream()
        .map(LoggedRequest::getBodyAsString).sorted().toList();
    assertEquals(2, bodies.size());
    assertEquals("email=a%40b.c", bodies.get(0));
    assertTrue(bodies.get(1).matches("email=a%40b\\.c&metadata\\[flowpay_context]=shared&metadata\\[flowpay_worker]="
        + flowpay.worker + "&metadata\\[flowpay_call]=call_[0-9a-f]+_1"), bodies.get(1));
  }

  @Test
  void stripeErrorRunsTheDefaultErrorFlow() {
    JsonObject declined = new JsonObject().put("error", new JsonObject().put("type", "card_error")
        .put("code", "card_declined").put("decline_code", "generic_decline").put("message", "Your card was declined."));
    flowpay.stripe.stubFor(request("POST", urlPathEqualTo("/v1/setup_intents/seti_1/confirm"))
        .willReturn(aResponse().withStatus(402).withHeader("Content-Type", "application/json")
            .withBody(declined.encode())));
    String context = "ctx-" + Ids.newId();
    JsonObject input = new JsonObject().put("resource", "setupIntents").put("verb", "confirm").put("id", "seti_1")
        .put("params", new JsonObject().put("payment_method", "pm_card_chargeDeclined"));

    List<JsonObject> runs = flowpay.settle(flowpay.start("call", context, input));

    assertEquals("new_confirm_setup_intent_error", runs.get(1).getString("flow"));
    JsonObject error = flowpay.state(context).getJsonObject("error");
    assertEquals(declined.getJsonObject("error"), error.getJsonObject("error"));
    assertEquals(402, error.getInteger("http_status"));
    assertNull(flowpay.state(context).getValue("seen"));
  }

  private static LoggedRequest received() {
    List<LoggedRequest> requests = flowpay.stripe.findAll(anyRequestedFor(anyUrl()));
    assertEquals(1, requests.size(), () -> "requests Stripe received: " + requests);
    assertTrue(requests.get(0).getHeader("User-Agent").startsWith("Flowpay/"));
    return requests.get(0);
  }
}
