// Runs when Stripe refused to create the payment intent, or could not be reached.
// `error.error` is Stripe's error object ({type, code, message, param, ...}).
if (error.outcome_unknown) {
  // Flowpay reconciled this call for stripe.reconcileWindowMs and still cannot tell whether Stripe
  // created the intent: never record that as a failure. `flowpay calls --unresolved` lists it.
  ctx.set('status', 'create_unknown');
  log.error('outcome of creating the payment intent is unknown after', error.reconcile.attempts,
      'attempts; check idempotency key', request.idempotency_key, 'in Stripe');
} else {
  ctx.set('status', 'create_failed');
  ctx.set('error', {type: error.error.type, code: error.error.code || null, message: error.error.message});
  log.error('could not create a payment intent:', error.error.message, '(HTTP ' + error.http_status + ')');
}
