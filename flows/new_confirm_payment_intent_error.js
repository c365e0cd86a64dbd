// Runs when the confirmation failed, e.g. a declined card (HTTP 402, type card_error).
if (error.error.type === 'card_error') {
  ctx.set('status', 'declined');
  ctx.set('decline_code', error.error.decline_code || error.error.code);
  log.warn('card declined:', error.error.decline_code || error.error.code, '-', error.error.message);
} else {
  ctx.set('status', 'confirm_failed');
  log.error('confirmation failed:', error.error.type, error.error.message);
}
