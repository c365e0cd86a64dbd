// Look at the payment intent: its status says what really happened.
stripe.paymentIntents.retrieve(input.payment_intent, {},
  {onSuccess: 'examples/outcome_unknown/confirmed', onError: 'examples/outcome_unknown/check_failed', carry: input});
