-- Applies at a chain's home the part of a forward entry a worker wrote for it (commit.lua, dead.lua): a run
-- of the chain on that worker (its record, failure and pending change) or a task of it parked there.
-- At most once per forward entry: applied entry ids are kept in the home's applied set a while, so a relay
-- repeated after a crash (applied, not yet removed from the forward stream) changes nothing.
-- KEYS: 1 chain hash, 2 chain runs, 3 applied set (home), 4 stuck chains (home)
-- ARGV: 1 forward entry id (worker/entry), 2 delta, 3 failed (0|1), 4 dead (0|1), 5 run record json, 6 ttl (s),
--       7 when it ran (ms), 8 how long applied ids are kept (ms)
-- Returns 1 when applied, 0 when it had been applied before.
local now = flowpay_now_ms()
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
if redis.call('ZSCORE', KEYS[3], ARGV[1]) then
  return 0
end
redis.call('ZADD', KEYS[3], now + tonumber(ARGV[8]), ARGV[1])
if ARGV[4] == '1' then
  flowpay_chain_parked(KEYS[1], KEYS[2], KEYS[4], ARGV[5], ARGV[7], tonumber(ARGV[6]))
else
  flowpay_chain_ran(KEYS[1], KEYS[2], ARGV[5], tonumber(ARGV[2]), ARGV[3] == '1', ARGV[7], tonumber(ARGV[6]))
end
return 1
