-- Keeps a call whose outcome at Stripe is unknown for reconciling: its state and when it is tried
-- next, durably, while it is still unanswered in the outbox (an answer stored meanwhile wins).
-- KEYS: 1 outbox, 2 reconciling calls, 3 reconcile schedule, 4 lease.
-- ARGV: 1 call id, 2 state json, 3 when to try next (ms), 4 lease token.
-- Returns 1 when held, 0 when the call was answered already (nothing kept).
flowpay_fence(KEYS[4], ARGV[4])
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then
  redis.call('HDEL', KEYS[2], ARGV[1])
  redis.call('ZREM', KEYS[3], ARGV[1])
  return 0
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
return 1
