// The customer exists: subscribe it. `response` is Stripe's customer object.
ctx.set('customer', response.id);
ctx.set('status', 'subscribing');
stripe.subscriptions.create(
  {
    customer: response.id,
    items: [{price: carry.price}],
    // Stripe charges the first invoice now. 'error_if_incomplete' makes a failed first payment an error
    // (HTTP 402, card_error) instead of an 'incomplete' subscription, so it lands in the error flow.
    payment_behavior: 'error_if_incomplete',
    expand: ['latest_invoice']
  },
  {onSuccess: 'examples/signup/subscribed', onError: 'examples/signup/failed'});
