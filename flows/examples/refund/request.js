// A refund on request (a support tool or your API calls this main flow, in the order's context).
// Run it: flowpay run examples/refund/request --context order-o1 --input
//   '{"payment_intent": "pi_123", "amount": 500, "reason": "requested_by_customer"}' --follow
// Leave out `amount` to refund what is left.
const refunding = ctx.get('refund_status');
if (refunding === 'pending' || refunding === 'succeeded') {
  // One refund request per order at a time: a double click must not refund twice.
  log.warn('refund already', refunding, 'for', meta.context_id, '- nothing to do');
} else {
  ctx.set('refund_status', 'pending');
  stripe.refunds.create(
    {payment_intent: input.payment_intent, amount: input.amount, reason: input.reason || 'requested_by_customer'},
    {onSuccess: 'examples/refund/refunded', onError: 'examples/refund/refund_failed'});
}
