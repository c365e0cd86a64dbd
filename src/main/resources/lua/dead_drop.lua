-- An operator's 'flowpay dead drop': the dead letter is deleted for good; the audit keeps a copy
-- of what was dropped and says who did it. Its chain counts it as dropped; with no dead letter
-- left it is no longer stuck: settled when nothing else is pending (an operator gave the task up).
-- When the chain's home is another worker (another Cluster slot), the chain's part goes to the
-- worker's forward stream (see flowpay_forward_repair in lib.lua).
-- KEYS: 1 dead stream, 2 audit stream, 3 chain hash, 4 stuck chains (sorted set of chain keys by when they got
--       stuck) (3 and 4: the worker's forward stream when the chain's home is another worker; the dead stream
--       when the entry is no task)
-- ARGV: 1 dead entry id, 2 by, 3 now, 4 where the chain is: '' = KEYS 3 and 4, '-' = none (the entry is no
--       task), else the chain id, whose home is another worker, 5 ttl (s) of chain keys
-- Returns 1 when dropped, 0 when there was no such dead letter.
local entries = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])
if #entries == 0 then
  return 0
end
redis.call('XDEL', KEYS[1], ARGV[1])
local task = flowpay_field(entries[1][2], 'task')
if ARGV[4] == '' then
  flowpay_chain_dropped(KEYS[3], KEYS[4], ARGV[3])
elseif ARGV[4] ~= '-' then
  flowpay_forward_repair(KEYS[3], ARGV[4], 'drop', ARGV[5], ARGV[3])
end
redis.call('XADD', KEYS[2], '*', 'action', 'drop', 'dead_id', ARGV[1], 'task', task, 'by', ARGV[2], 'at', ARGV[3])
return 1
