// The subscription exists and its first payment went through (or it starts with a trial).
ctx.set('subscription', response.id);
ctx.set('status', response.status);          // 'active' or 'trialing'
log.info('subscribed', ctx.get('customer'), 'as', response.id, '(' + response.status + ')');
