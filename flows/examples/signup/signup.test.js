// Flow tests of examples/signup.
const ADA = {email: 'ada@example.com', name: 'Ada', price: 'price_123', payment_method: 'pm_card_visa'};

test('a customer, then an active subscription', t => {
  t.context('signup-ada');
  t.stripe('POST /v1/subscriptions', fixture('subscription', {id: 'sub_1', status: 'active'}));
  t.start('examples/signup/start', ADA);
  t.expectRuns(['examples/signup/start ok', 'examples/signup/customer_created ok', 'examples/signup/subscribed ok']);
  t.expectCall('POST /v1/customers', {email: 'ada@example.com', name: 'Ada', payment_method: 'pm_card_visa',
    invoice_settings: {default_payment_method: 'pm_card_visa'}});
  const customer = t.state().customer;
  t.ok(/^cus_/.test(customer), 'the stand-in made a customer, got ' + customer);
  t.expectCall('POST /v1/subscriptions', {customer: customer, items: [{price: 'price_123'}],
    payment_behavior: 'error_if_incomplete', expand: ['latest_invoice']});
  t.expectState({status: 'active', subscription: 'sub_1'});
});

test('a declined first payment leaves the customer without a subscription', t => {
  t.stripe('POST /v1/subscriptions', decline('insufficient_funds'));
  t.start('examples/signup/start', ADA);
  t.expectRuns(['examples/signup/start ok', 'examples/signup/customer_created ok', 'examples/signup/failed ok']);
  t.expectState({status: 'payment_failed', decline_code: 'insufficient_funds', subscription: null});
});

test('a refused customer fails the sign-up with Stripe\'s reason', t => {
  t.stripe('POST /v1/customers', stripeError(400, 'invalid_request_error', 'email_invalid',
    {param: 'email', message: 'Invalid email address: ada@'}));
  t.start('examples/signup/start', {email: 'ada@', name: 'Ada', price: 'price_123', payment_method: 'pm_card_visa'});
  t.expectNoCall('POST /v1/subscriptions');
  t.expectState({status: 'failed', error: {type: 'invalid_request_error', code: 'email_invalid'}});
});
