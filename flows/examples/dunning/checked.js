// Answer (or error) of a retrieve after an unknown outcome, or of markUncollectible.
// One flow for both: in a response flow `response` is set, in an error flow `error` is.
if (response && response.status === 'paid') {
  ctx.set('dunning_status', 'paid');
} else if (response && ctx.get('dunning_status') === 'unknown') {
  ctx.set('dunning_status', 'retrying');      // not paid: the next retry runs as planned
  flow.after(carry.delays_ms[Math.min(carry.attempt, carry.delays_ms.length - 1)], 'examples/dunning/retry',
    {invoice: carry.invoice, attempt: carry.attempt + 1, delays_ms: carry.delays_ms});
} else if (error) {
  log.error('could not check', carry.invoice + ':', error.error.message);
}
