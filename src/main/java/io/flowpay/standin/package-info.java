/**
 * Stand-ins for what production talks to, so that {@code flowpay demo}, {@code serve --local}, {@code webhook send},
 * {@code bench} and the tests run on a machine with nothing installed and no Stripe key. Not part of the product's
 * core: no class outside {@code cli/} and {@code bench/} uses this package.
 *
 * <ul>
 *   <li>{@link io.flowpay.standin.StripeStandIn}: the entry class, a local Stripe in test mode (payment intents,
 *       refunds, customers with Stripe's rules; every other resource generically; idempotent replays, error
 *       envelopes), from Stripe's published example objects ({@link io.flowpay.standin.StripeFixtures},
 *       {@code standin/stripe-fixtures.json}).
 *   <li>{@link io.flowpay.standin.TestEvents}: signed Stripe events, as {@code stripe trigger} sends them.
 *   <li>{@link io.flowpay.standin.CannedStripe}: the benchmark's Stripe, one canned answer, its CPU time measured.
 *   <li>{@link io.flowpay.standin.EmbeddedRedis}: a real redis-server binary for {@code demo} and {@code --local}.
 * </ul>
 */
package io.flowpay.standin;
