// Stripe refused the session (e.g. a bad line item, HTTP 400), or did not answer.
ctx.set('status', error.outcome_unknown ? 'unknown' : 'checkout_failed');
ctx.set('error', {type: error.error.type, param: error.error.param || null, message: error.error.message});
log.error('no checkout session:', error.error.message);
