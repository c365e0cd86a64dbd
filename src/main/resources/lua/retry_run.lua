-- An operator's 'flowpay runs --retry': a failed run's task goes back on its worker's stream as a
-- fresh attempt; its chain counts it as pending again (and runs again, unless a task of it is
-- parked: then it stays stuck); the worker's audit says who.
-- KEYS: 1 chain hash, 2 task stream, 3 audit stream
-- ARGV: 1 task json, 2 by, 3 now, 4 ttl (s) of chain keys, 5 context id, 6 task id
-- Returns the new stream entry id.
local entry = redis.call('XADD', KEYS[2], '*', 'task', ARGV[1])
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('HINCRBY', KEYS[1], 'pending', 1)
  if redis.call('HGET', KEYS[1], 'status') == 'settled' then
    redis.call('HSET', KEYS[1], 'status', 'running')
    redis.call('HDEL', KEYS[1], 'settled_at')
  end
  flowpay_keep(KEYS[1], tonumber(ARGV[4]))
end
redis.call('XADD', KEYS[3], '*', 'action', 'retry_run', 'context_id', ARGV[5], 'task_id', ARGV[6],
  'entry_id', entry, 'task', ARGV[1], 'by', ARGV[2], 'at', ARGV[3])
return entry
