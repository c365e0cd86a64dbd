// The retry failed (card_error 402), or Stripe could not be reached. Wait and retry, or give up.
const delays = carry.delays_ms;
if (error.outcome_unknown) {
  // The payment may have gone through: look before charging again.
  ctx.set('dunning_status', 'unknown');
  stripe.invoices.retrieve(carry.invoice, {},
    {onSuccess: 'examples/dunning/checked', onError: 'examples/dunning/checked', carry: carry});
} else if (carry.attempt < delays.length) {
  flow.after(delays[carry.attempt], 'examples/dunning/retry',
    {invoice: carry.invoice, attempt: carry.attempt + 1, delays_ms: delays});
  log.warn('retry', carry.attempt, 'of', carry.invoice, 'failed:', error.error.decline_code || error.error.code || error.error.type);
} else {
  ctx.set('dunning_status', 'uncollectible');
  stripe.invoices.markUncollectible(carry.invoice, {},
    {onSuccess: 'examples/dunning/checked', onError: 'examples/dunning/checked', carry: carry});
  log.error('giving up on', carry.invoice, 'after', carry.attempt, 'retries');
}
