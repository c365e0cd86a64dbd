// Flow tests of examples/refund: run them with `flowpay test flows`.
test('a refund on request is made and recorded', t => {
  t.context('order-o1');
  t.stripe('POST /v1/refunds', fixture('refund', {id: 're_test1', amount: 500, status: 'succeeded'}));
  t.start('examples/refund/request', {payment_intent: 'pi_123', amount: 500});
  t.expectRuns(['examples/refund/request ok', 'examples/refund/refunded ok']);
  t.expectCall('POST /v1/refunds', {payment_intent: 'pi_123', amount: 500, reason: 'requested_by_customer'});
  t.expectState({refund_status: 'succeeded', refund: {id: 're_test1', amount: 500, currency: 'usd'}});
});

test('a second request while one is pending refunds nothing', t => {
  t.given({refund_status: 'pending'});
  t.start('examples/refund/request', {payment_intent: 'pi_123'});
  t.expectNoCall('POST /v1/refunds');
  t.expectLog('refund already pending');
});

test('an already refunded charge counts as refunded', t => {
  t.stripe('POST /v1/refunds', stripeError(400, 'invalid_request_error', 'charge_already_refunded',
    {message: 'Charge ch_1 has already been refunded.'}));
  t.start('examples/refund/request', {payment_intent: 'pi_123'});
  t.expectRuns(['examples/refund/request ok', 'examples/refund/refund_failed ok']);
  t.expectState({refund_status: 'succeeded', refund_error: {code: 'charge_already_refunded'}});
});

test('no answer from Stripe leaves the refund unknown', t => {
  t.stripe('POST /v1/refunds', noAnswer());
  t.start('examples/refund/request', {payment_intent: 'pi_123', amount: 500});
  t.expectState({refund_status: 'unknown'});
});
