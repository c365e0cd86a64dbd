// Stripe refused the refund, e.g. code 'charge_already_refunded' or 'amount_too_large' (HTTP 400).
const e = error.error;
if (error.outcome_unknown) {
  ctx.set('refund_status', 'unknown');   // it may exist: look it up (stripe.refunds.list) before another try
} else {
  ctx.set('refund_status', e.code === 'charge_already_refunded' ? 'succeeded' : 'failed');
  ctx.set('refund_error', {code: e.code || null, message: e.message});
}
log.warn('refund not made:', e.code || e.type, '-', e.message);
