-- An operator's 'flowpay dead retry': the dead task goes back on its worker's stream as a fresh
-- attempt, its chain counts it as pending again, the dead letter goes, and the audit says who.
-- When the chain's home is another worker (another Cluster slot), the chain's part and the task go to
-- the worker's forward stream instead, in that order (see flowpay_forward_repair in lib.lua).
-- KEYS: 1 dead stream, 2 task stream, 3 chain hash, 4 audit stream, 5 stuck chains (sorted set of chain keys by
--       when they got stuck) (3 and 5: the worker's forward stream when the chain's home is another worker)
-- ARGV: 1 dead entry id, 2 task json (attempt reset), 3 by, 4 now, 5 ttl (s) of chain keys,
--       6 the chain id when its home is another worker ('' = the chain's keys are KEYS 3 and 5), 7 the task's
--       worker, 8 the task id
-- Returns 1 when retried, 0 when there was no such dead letter.
if redis.call('XDEL', KEYS[1], ARGV[1]) == 0 then
  return 0
end
local entry
if ARGV[6] ~= '' then
  entry = flowpay_forward_repair(KEYS[3], ARGV[6], 'retry', ARGV[5], ARGV[4], ARGV[7], ARGV[8], ARGV[2])
else
  entry = redis.call('XADD', KEYS[2], '*', 'task', ARGV[2])
  flowpay_chain_retried(KEYS[3], KEYS[5], tonumber(ARGV[5]))
end
-- entry_id: the task's stream entry, or (chain elsewhere) the chain part's forward entry (the task's follows it)
redis.call('XADD', KEYS[4], '*', 'action', 'retry', 'dead_id', ARGV[1], 'entry_id', entry, 'task', ARGV[2],
  'by', ARGV[3], 'at', ARGV[4])
return 1
