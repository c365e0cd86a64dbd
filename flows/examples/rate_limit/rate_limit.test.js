// Flow tests of examples/rate_limit.
const CHANGES = {metadata: {tier: 'gold'}};

test('still rate limited after Flowpay\'s retries: wait 30 s, then the update goes through', t => {
  t.context('customer-cus_123');
  t.stripe('POST /v1/customers/cus_123', rateLimited());
  t.start('examples/rate_limit/start', {customer: 'cus_123', changes: CHANGES});
  t.expectRuns(['examples/rate_limit/start ok', 'examples/rate_limit/update_failed ok']);
  t.expectState({sync_status: 'waiting'});
  t.stripe('POST /v1/customers/cus_123', fixture('customer', {id: 'cus_123', metadata: {tier: 'gold'}}));
  t.advance('30s');
  t.expectState({sync_status: 'updated'});
  t.expectCall('POST /v1/customers/cus_123', {metadata: {tier: 'gold'}});
  t.expectLog('updated cus_123 on attempt 2');
});

test('after five rate limited attempts the update is given up', t => {
  t.stripe('POST /v1/customers/cus_123', rateLimited());
  t.start('examples/rate_limit/start', {customer: 'cus_123', changes: CHANGES});
  t.advance('8m');                                              // 30 s + 1 + 2 + 4 min
  t.expectState({sync_status: 'failed'});
  t.expectLog('rate limited on attempt 4');
});

test('an invalid change fails at once, without waiting', t => {
  t.stripe('POST /v1/customers/cus_123', stripeError(400, 'invalid_request_error', 'parameter_unknown',
    {param: 'tier'}));
  t.start('examples/rate_limit/start', {customer: 'cus_123', changes: {tier: 'gold'}});
  t.expectCalls('POST /v1/customers/cus_123', 1);
  t.expectState({sync_status: 'failed'});
});
