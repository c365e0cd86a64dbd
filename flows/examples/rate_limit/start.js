// A call that may hit Stripe's rate limit (HTTP 429, rate_limit_error), e.g. during a bulk update.
// Run it: flowpay run examples/rate_limit/start --context customer-cus_123 --input
//   '{"customer": "cus_123", "changes": {"metadata": {"tier": "gold"}}}' --follow
// Flowpay already retries a 429 a few times (stripe.maxAttempts, honouring Retry-After); the error flow
// runs only when those retries ran out, and then waits longer before trying again.
const attempt = input.attempt || 1;
ctx.set('sync_status', 'updating');
stripe.customers.update(input.customer, input.changes,
  {onSuccess: 'examples/rate_limit/updated', onError: 'examples/rate_limit/update_failed',
    carry: {customer: input.customer, changes: input.changes, attempt: attempt}});
