// Dunning: retry a failed invoice on a schedule, then give up. Start it from your
// on_invoice_payment_failed webhook flow (flow.dispatch('examples/dunning/start', {invoice: input.data.object.id}))
// or by hand: flowpay run examples/dunning/start --context invoice-in_123 --input '{"invoice": "in_123"}'
const DAY = 24 * 60 * 60 * 1000;
const delays = input.delays_ms || [1 * DAY, 3 * DAY, 5 * DAY];   // wait before each retry
ctx.set('invoice', input.invoice);
ctx.set('dunning_status', 'retrying');
ctx.set('attempt', 0);
// flow.after keeps the task in Redis: a restart in between does not lose it.
flow.after(delays[0], 'examples/dunning/retry', {invoice: input.invoice, attempt: 1, delays_ms: delays});
log.info('invoice', input.invoice, 'failed: retry 1 of', delays.length, 'in', delays[0] / DAY, 'day(s)');
