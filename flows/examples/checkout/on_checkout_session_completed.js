// Webhook flow for Stripe's checkout.session.completed event. Webhook flows run from the top of the
// flows folder only: copy this file to flows/on_checkout_session_completed.js to use it.
// `input` is the whole event; it runs in the context named by the session's metadata[flowpay_context]
// (set by examples/checkout/start), so `ctx` is the order's state.
const session = input.data.object;
if (ctx.get('status') === 'paid') {
  log.info('event', meta.event_id, 'for', session.id, 'arrived after the order was paid: nothing to do');
} else if (session.payment_status === 'paid' || session.payment_status === 'no_payment_required') {
  ctx.set('status', 'paid');
  ctx.set('payment_intent', session.payment_intent);
  log.info('order', session.client_reference_id, 'paid through', session.id);
} else {
  // A delayed method (bank debit): checkout.session.async_payment_succeeded or _failed follows.
  ctx.set('status', 'payment_processing');
}
