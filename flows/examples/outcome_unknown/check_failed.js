// The retrieve failed too: try again later (at most 10 times), the status stays 'unknown'.
if (carry.attempt < 10) {
  flow.after(60000 * carry.attempt, 'examples/outcome_unknown/check',
    {payment_intent: carry.payment_intent, attempt: carry.attempt + 1});
} else {
  log.error('still cannot tell what happened to', carry.payment_intent, '- an operator must look');
}
