// Stripe made the refund. Its status is usually 'succeeded'; card refunds can be 'pending' for a while,
// and Stripe then sends refund.updated / charge.refund.updated events.
ctx.set('refund_status', response.status);
ctx.set('refund', {id: response.id, amount: response.amount, currency: response.currency});
log.info('refunded', response.amount, response.currency, 'as', response.id, '(' + response.status + ')');
