// Flow tests of examples/checkout: run them with `flowpay test flows`.
test('the session is created and the customer sent to its page', t => {
  t.context('order-o2');
  t.stripe('POST /v1/checkout/sessions',
    fixture('checkout.session', {id: 'cs_test_1', url: 'https://checkout.stripe.com/c/pay/cs_test_1'}));
  t.start('examples/checkout/start', {order_id: 'o2', amount: 2500, currency: 'usd', item: 'T-shirt'});
  t.expectRuns(['examples/checkout/start ok', 'examples/checkout/session_created ok']);
  t.expectCall('POST /v1/checkout/sessions', {
    mode: 'payment',
    client_reference_id: 'o2',
    line_items: [{price_data: {currency: 'usd', unit_amount: 2500, product_data: {name: 'T-shirt'}}, quantity: 1}],
    // routing metadata: the session's webhook events come back to this context
    metadata: {flowpay_context: t.contextId()}
  });
  t.expectState({status: 'awaiting_payment', checkout_session: 'cs_test_1',
    checkout_url: 'https://checkout.stripe.com/c/pay/cs_test_1'});
});

test('checkout.session.completed marks the order paid', t => {
  t.given({order_id: 'o2', status: 'awaiting_payment'});
  t.event('checkout.session.completed',
    {id: 'cs_test_1', object: 'checkout.session', payment_status: 'paid', payment_intent: 'pi_9',
      client_reference_id: 'o2'},
    {flow: 'examples/checkout/on_checkout_session_completed'});
  t.expectState({status: 'paid', payment_intent: 'pi_9'});
});

test('a delayed payment method waits for the async event', t => {
  t.given({status: 'awaiting_payment'});
  t.event('checkout.session.completed', {id: 'cs_test_2', payment_status: 'unpaid'},
    {flow: 'examples/checkout/on_checkout_session_completed'});
  t.expectState({status: 'payment_processing'});
});

test('a refused session is recorded as failed', t => {
  t.stripe('POST /v1/checkout/sessions', stripeError(400, 'invalid_request_error', 'parameter_invalid_integer',
    {param: 'line_items[0][price_data][unit_amount]', message: 'Invalid integer: -1'}));
  t.start('examples/checkout/start', {order_id: 'o3', amount: -1, currency: 'usd', item: 'T-shirt'});
  t.expectRuns(['examples/checkout/start ok', 'examples/checkout/failed ok']);
  t.expectState({status: 'checkout_failed',
    error: {type: 'invalid_request_error', param: 'line_items[0][price_data][unit_amount]'}});
});
