// Error flow of both calls. A declined first payment is a card_error (HTTP 402) from subscriptions.create.
const e = error.error;
if (error.outcome_unknown) {
  // Stripe may have acted: never report this as failed (see examples/outcome_unknown).
  ctx.set('status', 'unknown');
  log.error('no answer from Stripe for', request.method, request.path, '- check it before retrying');
} else if (e.type === 'card_error') {
  // The customer exists; no subscription was made. Ask for another card, then subscribe again.
  ctx.set('status', 'payment_failed');
  ctx.set('decline_code', e.decline_code || e.code || null);
  log.warn('first payment failed:', e.decline_code || e.code, '-', e.message);
} else {
  ctx.set('status', 'failed');
  ctx.set('error', {type: e.type, code: e.code || null, message: e.message});
  log.error('sign-up failed at', request.path + ':', e.type, e.message);
}
