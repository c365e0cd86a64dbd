// Runs when Stripe created the payment intent: `response` is Stripe's payment_intent object.
ctx.set('payment_intent', response.id);
ctx.set('status', 'confirming');
stripe.paymentIntents.confirm(response.id, {payment_method: carry.payment_method});
log.info('created', response.id, 'for', response.amount, response.currency, '- confirming');
