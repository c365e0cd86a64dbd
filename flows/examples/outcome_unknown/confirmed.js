// Confirmed, or found confirmed by a later retrieve: `response` is the payment intent either way.
ctx.set('status', response.status === 'succeeded' ? 'paid' : response.status);
log.info(response.id, 'is', response.status);
