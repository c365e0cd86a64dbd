-- Starts a chain once per mark (a Stripe event's id, an API request's Idempotency-Key): the same
-- writes as start.lua, unless the mark is set. Atomic: a crash cannot leave the mark set but nothing
-- enqueued, or enqueued but not marked. The mark is written last: Redis does not undo a script's
-- earlier writes when a later command fails, and a mark without its task would lose the start
-- (a retry would be answered as a duplicate).
-- KEYS: 1 chain hash, 2 task stream, 3 event mark
-- ARGV: 1 task json, 2 flow, 3 context id, 4 worker id, 5 now (ms), 6 chain ttl (s), 7 mark value,
--       8 mark ttl (s)
-- Returns {1, stream entry id} when enqueued, {0, earlier mark value} for a duplicate.
local seen = redis.call('GET', KEYS[3])
if seen then
  return {0, seen}
end
local id = flowpay_start_chain(KEYS[1], KEYS[2], ARGV)
redis.call('SET', KEYS[3], ARGV[7], 'NX', 'EX', ARGV[8])
return {1, id}
