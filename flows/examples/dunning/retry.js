// One retry: charge the invoice again (its default payment method, or one the customer added since).
if (ctx.get('dunning_status') !== 'retrying') {
  // Paid meanwhile (e.g. an invoice.paid webhook flow set 'paid'), or given up: nothing to do.
  log.info('dunning of', input.invoice, 'is', ctx.get('dunning_status'), '- retry', input.attempt, 'skipped');
} else {
  ctx.set('attempt', input.attempt);
  stripe.invoices.pay(input.invoice, {},
    {onSuccess: 'examples/dunning/paid', onError: 'examples/dunning/retry_failed', carry: input});
}
