// Still rate limited after Flowpay's own retries: try again later, longer each time, at most 5 times.
const MAX_ATTEMPTS = 5;
if (error.error.type === 'rate_limit_error' && carry.attempt < MAX_ATTEMPTS) {
  const wait = 30000 * Math.pow(2, carry.attempt - 1);          // 30 s, 1 min, 2 min, 4 min
  flow.after(wait, 'examples/rate_limit/start',
    {customer: carry.customer, changes: carry.changes, attempt: carry.attempt + 1});
  ctx.set('sync_status', 'waiting');
  log.warn('rate limited on attempt', carry.attempt, '- trying again in', wait / 1000, 's');
} else {
  ctx.set('sync_status', error.outcome_unknown ? 'unknown' : 'failed');
  log.error('update of', carry.customer, 'failed:', error.error.type, error.error.message);
}
