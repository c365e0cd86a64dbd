-- A pool's heartbeat: this process says it is alive for ttl ms more, and learns how many processes
-- of its pool are alive (each then takes a fair share of the pool's worker ids: ceil(ids / live)).
-- By Redis's clock, so that processes whose clocks differ agree.
-- KEYS: 1 members (sorted set: process id -> alive until, ms).  ARGV: 1 process id, 2 ttl (ms),
--       3 'join' | 'leave'
-- Returns the number of live members (this one included when it joins).
local now = flowpay_now_ms()
if ARGV[3] == 'leave' then
  redis.call('ZREM', KEYS[1], ARGV[1])
else
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('PEXPIRE', KEYS[1], 10 * tonumber(ARGV[2]))
return redis.call('ZCARD', KEYS[1])
