// Runs when the confirmation went through: `response.status` is e.g. 'succeeded' or 'requires_action'.
ctx.set('status', response.status);
log.info('payment intent', response.id, 'is', response.status);
