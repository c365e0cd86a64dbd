// Sign-up: a customer, then a subscription whose first payment may fail.
// Run it: flowpay run examples/signup/start --context signup-ada --input
//   '{"email": "ada@example.com", "name": "Ada", "price": "price_123", "payment_method": "pm_card_visa"}' --follow
// (pm_card_chargeCustomerFail attaches but fails when charged: the failed first payment.)
ctx.set('status', 'creating_customer');
stripe.customers.create(
  {
    email: input.email,
    name: input.name,
    payment_method: input.payment_method,                          // attached to the new customer
    invoice_settings: {default_payment_method: input.payment_method}  // and used for its invoices
  },
  {
    onSuccess: 'examples/signup/customer_created',   // flows in a sub-folder are named with their path
    onError: 'examples/signup/failed',
    carry: {price: input.price}                      // handed to the next flow untouched
  });
