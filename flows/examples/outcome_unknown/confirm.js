// Confirm a payment intent, and handle an answer that never came (outcome_unknown).
// Run it: flowpay run examples/outcome_unknown/confirm --context order-o3 --input
//   '{"payment_intent": "pi_123", "payment_method": "pm_card_visa"}' --follow
ctx.set('status', 'confirming');
stripe.paymentIntents.confirm(input.payment_intent, {payment_method: input.payment_method},
  {onSuccess: 'examples/outcome_unknown/confirmed', onError: 'examples/outcome_unknown/confirm_failed',
    carry: {payment_intent: input.payment_intent}});
