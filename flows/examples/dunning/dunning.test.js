// Flow tests of examples/dunning: t.advance moves the clock, so days of flow.after take no time.
test('nothing is charged before the first retry is due', t => {
  t.start('examples/dunning/start', {invoice: 'in_1'});
  t.advance('23h');
  t.expectNoCall('POST /v1/invoices/*/pay');
  t.expectState({dunning_status: 'retrying', attempt: 0});
});

test('the first retry after a day pays the invoice', t => {
  t.stripe('POST /v1/invoices/in_1/pay', fixture('invoice', {id: 'in_1', status: 'paid'}));
  t.start('examples/dunning/start', {invoice: 'in_1'});
  t.advance('1d');
  t.expectRuns(['examples/dunning/start ok', 'examples/dunning/retry ok', 'examples/dunning/paid ok']);
  t.expectState({dunning_status: 'paid', attempt: 1});
});

test('three declined retries over nine days make the invoice uncollectible', t => {
  t.stripe('POST /v1/invoices/in_2/pay', decline('insufficient_funds'));
  t.stripe('POST /v1/invoices/in_2/mark_uncollectible', fixture('invoice', {id: 'in_2', status: 'uncollectible'}));
  t.start('examples/dunning/start', {invoice: 'in_2'});
  t.advance('8d');
  t.expectCalls('POST /v1/invoices/in_2/pay', 2);          // day 1 and day 4; the third is due on day 9
  t.advance('1d');
  t.expectCalls('POST /v1/invoices/in_2/pay', 3);
  t.expectCall('POST /v1/invoices/in_2/mark_uncollectible');
  t.expectState({dunning_status: 'uncollectible', attempt: 3});
  t.expectLog('giving up on in_2 after 3 retries');
});

test('a retry whose answer never came looks at the invoice before charging again', t => {
  t.stripe('POST /v1/invoices/in_3/pay', noAnswer());
  t.stripe('GET /v1/invoices/in_3', fixture('invoice', {id: 'in_3', status: 'paid'}));
  t.start('examples/dunning/start', {invoice: 'in_3', delays_ms: [1000, 2000]});
  t.advance('1s');
  t.expectCall('GET /v1/invoices/in_3');
  t.expectState({dunning_status: 'paid'});
});
