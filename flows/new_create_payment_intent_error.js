// Runs when Stripe refused to create the payment intent, or could not be reached.
// `error.error` is Stripe's error object ({type, code, message, param, ...}).
ctx.set('status', 'create_failed');
ctx.set('error', {type: error.error.type, code: error.error.code || null, message: error.error.message});
log.error('could not create a payment intent:', error.error.message, '(HTTP ' + error.http_status + ')');
