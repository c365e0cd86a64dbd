// error.outcome_unknown is true when Stripe may have acted but no answer came: Flowpay re-sent the call
// with the same idempotency key for as long as it could. The card may have been charged, so do not mark
// the order failed: record 'unknown' and look at the object a little later.
if (error.outcome_unknown) {
  ctx.set('status', 'unknown');
  flow.after(60000, 'examples/outcome_unknown/check', {payment_intent: carry.payment_intent, attempt: 1});
  log.warn('no answer for', request.method, request.path, '- checking', carry.payment_intent, 'in a minute');
} else if (error.error.type === 'card_error') {
  ctx.set('status', 'declined');
  ctx.set('decline_code', error.error.decline_code || error.error.code);
} else {
  ctx.set('status', 'failed');
  log.error('confirm failed:', error.error.type, error.error.message);
}
