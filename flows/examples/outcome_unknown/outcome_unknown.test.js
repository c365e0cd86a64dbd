// Flow tests of examples/outcome_unknown.
test('a confirm with no answer is unknown, never failed, and checked a minute later', t => {
  t.context('order-o3');
  t.stripe('POST /v1/payment_intents/pi_1/confirm', noAnswer());
  t.stripe('GET /v1/payment_intents/pi_1', fixture('payment_intent', {id: 'pi_1', status: 'succeeded'}));
  t.start('examples/outcome_unknown/confirm', {payment_intent: 'pi_1', payment_method: 'pm_card_visa'});
  t.expectRuns(['examples/outcome_unknown/confirm ok', 'examples/outcome_unknown/confirm_failed ok']);
  t.expectState({status: 'unknown'});
  t.expectNoCall('GET /v1/payment_intents/pi_1');
  t.advance('1m');
  t.expectCall('GET /v1/payment_intents/pi_1');
  t.expectState({status: 'paid'});
});

test('a declined confirm records the decline code', t => {
  t.stripe('POST /v1/payment_intents/pi_2/confirm', decline('insufficient_funds'));
  t.start('examples/outcome_unknown/confirm', {payment_intent: 'pi_2', payment_method: 'pm_card_visa'});
  t.expectCall('POST /v1/payment_intents/pi_2/confirm', {payment_method: 'pm_card_visa'});
  t.expectState({status: 'declined', decline_code: 'insufficient_funds'});
});

test('a confirm Stripe answers is paid', t => {
  t.stripe('POST /v1/payment_intents/pi_3/confirm', fixture('payment_intent', {id: 'pi_3', status: 'succeeded'}));
  t.start('examples/outcome_unknown/confirm', {payment_intent: 'pi_3', payment_method: 'pm_card_visa'});
  t.expectState({status: 'paid'});
});
