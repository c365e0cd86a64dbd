// Event flow: runs for each Stripe event `payment_intent.succeeded` (try it locally with
// `flowpay webhook send payment_intent.succeeded --context order-o1`).
// `input` is the whole event; it runs in the context named by the object's metadata[flowpay_context].
if (meta.caller_id === 'webhook') {          // a Stripe event; 'stripe' would be the answer to our own call
  const intent = input.data.object;
  if (ctx.get('status') !== 'succeeded') {   // the confirm answer may have been here first
    ctx.set('status', intent.status);
  }
  log.info(`event ${meta.event_id} for ${intent.id}`);
}
