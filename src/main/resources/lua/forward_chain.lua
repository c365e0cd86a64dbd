-- Applies at a chain's home the part of a forward entry a worker wrote for it: a run of the chain on that worker
-- (its record, failure and pending change: commit.lua), a task of it parked there (dead.lua), or an operator's
-- repair of it there (op: 'retry' a parked task, 'drop' a parked task, 'rerun' a failed run: dead_retry.lua,
-- dead_drop.lua, retry_run.lua; see flowpay_forward_repair in lib.lua).
-- At most once per forward entry: applied entry ids are kept in the home's applied set a while, so a relay
-- repeated after a crash (applied, not yet removed from the forward stream) changes nothing.
-- KEYS: 1 chain hash, 2 chain runs, 3 applied set (home), 4 stuck chains (home)
-- ARGV: 1 forward entry id (worker/entry), 2 delta, 3 failed (0|1), 4 dead (0|1), 5 run record json, 6 ttl (s),
--       7 when it ran (ms), 8 how long applied ids are kept (ms), 9 the repair ('' = a run or a parked task;
--       2-5 are unused for a repair)
-- Returns 1 when applied, 0 when it had been applied before.
local now = flowpay_now_ms()
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
if redis.call('ZSCORE', KEYS[3], ARGV[1]) then
  return 0
end
local op = ARGV[9] or ''
if op ~= '' and op ~= 'retry' and op ~= 'drop' and op ~= 'rerun' then
  -- written by a newer version: applying nothing (and keeping the entry) beats counting it wrong
  error('FLOWPAY_FORWARD_OP forward entry ' .. ARGV[1] .. ' has a repair this version does not know: ' .. op, 0)
end
redis.call('ZADD', KEYS[3], now + tonumber(ARGV[8]), ARGV[1])
if op == 'retry' then
  flowpay_chain_retried(KEYS[1], KEYS[4], tonumber(ARGV[6]))
elseif op == 'drop' then
  flowpay_chain_dropped(KEYS[1], KEYS[4], ARGV[7])
elseif op == 'rerun' then
  flowpay_chain_rerun(KEYS[1], tonumber(ARGV[6]))
elseif ARGV[4] == '1' then
  flowpay_chain_parked(KEYS[1], KEYS[2], KEYS[4], ARGV[5], ARGV[7], tonumber(ARGV[6]))
else
  flowpay_chain_ran(KEYS[1], KEYS[2], ARGV[5], tonumber(ARGV[2]), ARGV[3] == '1', ARGV[7], tonumber(ARGV[6]))
end
return 1
