// Runs when the confirmation failed, e.g. a declined card (HTTP 402, type card_error).
if (error.outcome_unknown) {
  // The card may have been charged: Flowpay could not find out within stripe.reconcileWindowMs.
  // Never tell the customer it failed; `flowpay calls --unresolved` lists it for an operator.
  ctx.set('status', 'confirm_unknown');
  log.error('outcome of the confirmation is unknown; check', request.path, 'in Stripe');
} else if (error.error.type === 'card_error') {
  ctx.set('status', 'declined');
  ctx.set('decline_code', error.error.decline_code || error.error.code);
  log.warn('card declined:', error.error.decline_code || error.error.code, '-', error.error.message);
} else {
  ctx.set('status', 'confirm_failed');
  log.error('confirmation failed:', error.error.type, error.error.message);
}
