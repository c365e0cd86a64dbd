-- Applies at a chain's home the part of a forward entry a worker wrote for it (commit.lua, dead.lua): a run
-- of the chain on that worker (its record, failure and pending change) or a task of it parked there.
-- At most once per forward entry, for good: the home keeps the last entry id it applied per source worker
-- (entries are relayed in order), so a relay repeated after a crash (applied, not yet removed from the forward
-- stream) changes nothing however late it comes.
-- KEYS: 1 chain hash, 2 chain runs, 3 relayed (home: source worker -> last entry id applied), 4 stuck chains
--       (home), 5 applied set of the release before (home)
-- ARGV: 1 source worker, 2 forward entry id, 3 delta, 4 failed (0|1), 5 dead (0|1), 6 run record json,
--       7 ttl (s), 8 when it ran (ms)
-- Returns 1 when applied, 0 when it had been applied before.
if not flowpay_relay_once(KEYS[3], ARGV[1], ARGV[2], KEYS[5], ARGV[1] .. '/' .. ARGV[2], flowpay_now_ms()) then
  return 0
end
if ARGV[5] == '1' then
  flowpay_chain_parked(KEYS[1], KEYS[2], KEYS[4], ARGV[6], ARGV[8], tonumber(ARGV[7]))
else
  flowpay_chain_ran(KEYS[1], KEYS[2], ARGV[6], tonumber(ARGV[3]), ARGV[4] == '1', ARGV[8], tonumber(ARGV[7]))
end
return 1
