// Main flow: starts the payment for an order.
// Run it: flowpay run main --input '{"order_id": "o1", "amount": 2000, "currency": "usd"}' --follow
// `input` is the JSON the flow was started with; `ctx` is this order's state in Redis.
ctx.set('order_id', input.order_id);
ctx.set('status', 'creating_payment');

var callId = stripe.paymentIntents.create(
  {
    amount: input.amount,
    currency: input.currency,
    customer: input.customer,                 // optional: omitted when undefined
    payment_method_types: ['card'],
    metadata: {order_id: input.order_id}
  },
  // `carry` comes back to the response/error flow untouched.
  {carry: {payment_method: input.payment_method || 'pm_card_visa'}}
);
// The call has not happened yet: it is sent after this flow's effects are committed.
log.info('creating a payment intent for', input.order_id, '(call', callId + ')');
