-- Applies at a chain's home the part of a forward entry a worker wrote for it: a run of the chain on that worker
-- (its record, failure and pending change: commit.lua), a task of it parked there (dead.lua), or an operator's
-- repair of it there (op: 'retry' a parked task, 'drop' a parked task, 'rerun' a failed run: dead_retry.lua,
-- dead_drop.lua, retry_run.lua; see flowpay_forward_repair in lib.lua).
-- At most once per forward entry, for good: the home keeps the last entry id it applied per source worker
-- (entries are relayed in order), so a relay repeated after a crash (applied, not yet removed from the forward
-- stream) changes nothing however late it comes.
-- KEYS: 1 chain hash, 2 chain runs, 3 relayed (home: source worker -> last entry id applied), 4 stuck chains
--       (home), 5 applied set of the release before (home)
-- ARGV: 1 source worker, 2 forward entry id, 3 delta, 4 failed (0|1), 5 dead (0|1), 6 run record json,
--       7 ttl (s), 8 when it ran (ms), 9 the repair ('' = a run or a parked task; 3-6 are unused for a repair)
-- Returns 1 when applied, 0 when it had been applied before.
local op = ARGV[9] or ''
if op ~= '' and op ~= 'retry' and op ~= 'drop' and op ~= 'rerun' then
  -- written by a newer version: applying nothing (and keeping the entry) beats counting it wrong
  error('FLOWPAY_FORWARD_OP forward entry ' .. ARGV[1] .. '/' .. ARGV[2] .. ' has a repair this version does not know: '
    .. op, 0)
end
if not flowpay_relay_once(KEYS[3], ARGV[1], ARGV[2], KEYS[5], ARGV[1] .. '/' .. ARGV[2], flowpay_now_ms()) then
  return 0
end
if op == 'retry' then
  flowpay_chain_retried(KEYS[1], KEYS[4], tonumber(ARGV[7]))
elseif op == 'drop' then
  flowpay_chain_dropped(KEYS[1], KEYS[4], ARGV[8])
elseif op == 'rerun' then
  flowpay_chain_rerun(KEYS[1], tonumber(ARGV[7]))
elseif ARGV[5] == '1' then
  flowpay_chain_parked(KEYS[1], KEYS[2], KEYS[4], ARGV[6], ARGV[8], tonumber(ARGV[7]))
else
  flowpay_chain_ran(KEYS[1], KEYS[2], ARGV[6], tonumber(ARGV[3]), ARGV[4] == '1', ARGV[8], tonumber(ARGV[7]))
end
return 1
