// The retry paid the invoice.
ctx.set('dunning_status', 'paid');
log.info('invoice', response.id, 'paid on retry', carry.attempt);
