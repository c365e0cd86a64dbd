-- An operator's 'flowpay runs --retry': a failed run's task goes back on its worker's stream as a
-- fresh attempt; its chain counts it as pending again (and runs again, unless a task of it is
-- parked: then it stays stuck); the worker's audit says who.
-- When the chain's home is another worker (another Cluster slot), the chain's part and the task go to
-- the worker's forward stream instead, in that order (see flowpay_forward_repair in lib.lua).
-- KEYS: 1 chain hash (the worker's forward stream when the chain's home is another worker), 2 task stream,
--       3 audit stream
-- ARGV: 1 task json, 2 by, 3 now, 4 ttl (s) of chain keys, 5 context id, 6 task id,
--       7 the chain id when its home is another worker ('' = the chain's key is KEYS 1), 8 the task's worker
-- Returns the new stream entry id (chain elsewhere: the id of the chain part's forward entry, the task's follows it).
local entry
if ARGV[7] ~= '' then
  entry = flowpay_forward_repair(KEYS[1], ARGV[7], 'rerun', ARGV[4], ARGV[3], ARGV[8], ARGV[6], ARGV[1])
else
  entry = redis.call('XADD', KEYS[2], '*', 'task', ARGV[1])
  flowpay_chain_rerun(KEYS[1], tonumber(ARGV[4]))
end
redis.call('XADD', KEYS[3], '*', 'action', 'retry_run', 'context_id', ARGV[5], 'task_id', ARGV[6],
  'entry_id', entry, 'task', ARGV[1], 'by', ARGV[2], 'at', ARGV[3])
return entry
