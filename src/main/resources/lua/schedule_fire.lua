-- Starts a schedule's chain for one tick, unless that tick or a later one was started already (by this
-- or any other process): exactly one chain per tick, and never an older tick after a newer one. The
-- schedule's last tick is its idempotency record; the tick's chain id is kept for finding it again.
-- KEYS: 1 chain hash, 2 task stream, 3 schedule hash, 4 schedule ticks (sorted set tick -> chain id)
-- ARGV: 1 task json, 2 flow, 3 context id, 4 worker id, 5 now (ms), 6 chain ttl (s), 7 tick (ms),
--       8 chain id, 9 ticks kept
-- Returns {1, chain id} when started, {0, last tick, its chain id} when the tick was started already.
local last = tonumber(redis.call('HGET', KEYS[3], 'last_tick') or '-1')
if tonumber(ARGV[7]) <= last then
  return {0, tostring(last), redis.call('HGET', KEYS[3], 'last_chain') or ''}
end
flowpay_start_chain(KEYS[1], KEYS[2], ARGV)
redis.call('HSET', KEYS[3], 'last_tick', ARGV[7], 'last_chain', ARGV[8], 'last_started_at', ARGV[5])
redis.call('ZADD', KEYS[4], ARGV[7], ARGV[7] .. ':' .. ARGV[8])
redis.call('ZREMRANGEBYRANK', KEYS[4], 0, -1 - tonumber(ARGV[9]))
return {1, ARGV[8]}
