// Checkout: create a hosted payment page; its webhook says when it was paid.
// Run it: flowpay run examples/checkout/start --context order-o2 --input
//   '{"order_id": "o2", "amount": 2500, "currency": "usd", "item": "T-shirt"}' --follow
ctx.set('order_id', input.order_id);
ctx.set('status', 'creating_checkout');
stripe.checkout.sessions.create(
  {
    mode: 'payment',
    line_items: [{price_data: {currency: input.currency, unit_amount: input.amount, product_data: {name: input.item}},
      quantity: 1}],
    client_reference_id: input.order_id,
    success_url: 'https://example.com/orders/' + input.order_id + '?paid=1',
    cancel_url: 'https://example.com/orders/' + input.order_id
  },
  // The create also carries metadata[flowpay_worker] and metadata[flowpay_context] (routing metadata):
  // the session's webhook events come back to this worker and this context.
  {onSuccess: 'examples/checkout/session_created', onError: 'examples/checkout/failed'});
