-- An operator's 'flowpay dead drop': the dead letter is deleted for good; the audit keeps a copy
-- of what was dropped and says who did it. Its chain counts it as dropped; with no dead letter
-- left it is no longer stuck: settled when nothing else is pending (an operator gave the task up).
-- KEYS: 1 dead stream, 2 audit stream, 3 chain hash ('-' when the entry is no task), 4 stuck chains (sorted set of chain keys by when they got stuck)
-- ARGV: 1 dead entry id, 2 by, 3 now
-- Returns 1 when dropped, 0 when there was no such dead letter.
local entries = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])
if #entries == 0 then
  return 0
end
redis.call('XDEL', KEYS[1], ARGV[1])
local task = flowpay_field(entries[1][2], 'task')
if redis.call('EXISTS', KEYS[3]) == 1 then
  redis.call('HINCRBY', KEYS[3], 'dropped', 1)
  if flowpay_one_dead_fewer(KEYS[3], KEYS[4]) then
    if tonumber(redis.call('HGET', KEYS[3], 'pending') or '0') <= 0 then
      redis.call('HSET', KEYS[3], 'status', 'settled', 'settled_at', ARGV[3])
    else
      redis.call('HSET', KEYS[3], 'status', 'running')
    end
  end
end
redis.call('XADD', KEYS[2], '*', 'action', 'drop', 'dead_id', ARGV[1], 'task', task, 'by', ARGV[2], 'at', ARGV[3])
return 1
