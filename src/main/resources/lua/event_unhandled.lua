-- A Stripe event no flow handles is recorded once in a capped stream (newest kept).
-- KEYS: 1 unhandled stream, 2 event mark
-- ARGV: 1 event id, 2 type, 3 reason, 4 now (ms), 5 event json, 6 stream cap, 7 mark ttl (s)
-- Returns {1, stream entry id} when recorded, {0, earlier mark value} for a duplicate.
local seen = redis.call('GET', KEYS[2])
if seen then
  return {0, seen}
end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[6], '*', 'event_id', ARGV[1], 'type', ARGV[2],
  'reason', ARGV[3], 'received_at', ARGV[4], 'event', ARGV[5])
redis.call('SET', KEYS[2], 'unhandled', 'NX', 'EX', ARGV[7])
return {1, id}
