-- Parks a task that will not run (unreadable, delivered too often, too deep, flow disabled) in
-- the worker's dead-letter stream and acknowledges it, atomically, so it is neither lost nor read
-- again. A task of a chain also leaves a run record with status 'dead', and its chain is 'stuck'
-- (it needs an operator: 'flowpay dead retry' or 'drop') until no dead letter of it is left.
-- A chain whose home is another worker is told through the forward stream (see forward_chain.lua).
-- KEYS: 1 task stream, 2 dead stream, 3 chain hash, 4 chain runs, 5 context runs, 6 stuck chains (sorted set of
--       chain keys by when they got stuck) (3, 4, 6: the forward stream when the chain's home is another worker),
--       7 lease, 8 forward stream
-- ARGV: 1 group, 2 entry id, 3 raw entry, 4 reason, 5 error, 6 deliveries, 7 now,
--       8 run record json ('' when the entry is no task), 9 ttl (s) of chain keys, 10 max run records per context,
--       11 lease token, 12 the chain id when its home is another worker ('' = the chain's keys are KEYS 3, 4, 6)
-- Returns 1 when parked, 0 when the entry had been acknowledged already (nothing done).
flowpay_fence(KEYS[7], ARGV[11])
if redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) == 0 then
  return 0
end
redis.call('XDEL', KEYS[1], ARGV[2])
redis.call('XADD', KEYS[2], '*', 'entry_id', ARGV[2], 'task', ARGV[3], 'reason', ARGV[4], 'error', ARGV[5],
  'deliveries', ARGV[6], 'dead_at', ARGV[7])
if ARGV[8] ~= '' then
  redis.call('XADD', KEYS[5], 'MAXLEN', '~', ARGV[10], '*', 'run', ARGV[8])
  if ARGV[12] ~= '' then
    redis.call('XADD', KEYS[8], '*', 'chain', ARGV[12], 'delta', -1, 'failed', '0', 'dead', '1', 'run', ARGV[8],
      'ttl', ARGV[9], 'at', ARGV[7])
  else
    flowpay_chain_parked(KEYS[3], KEYS[4], KEYS[6], ARGV[8], ARGV[7], tonumber(ARGV[9]))
  end
end
return 1
