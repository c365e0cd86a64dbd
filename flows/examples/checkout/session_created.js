// The session exists: send the customer to its page.
ctx.set('checkout_session', response.id);
ctx.set('checkout_url', response.url);
ctx.set('status', 'awaiting_payment');
log.info('checkout for', ctx.get('order_id'), 'at', response.url);
