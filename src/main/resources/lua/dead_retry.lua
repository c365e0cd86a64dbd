-- An operator's 'flowpay dead retry': the dead task goes back on its worker's stream as a fresh
-- attempt, its chain counts it as pending again, the dead letter goes, and the audit says who.
-- KEYS: 1 dead stream, 2 task stream, 3 chain hash, 4 audit stream, 5 stuck chains (sorted set of chain keys by when they got stuck)
-- ARGV: 1 dead entry id, 2 task json (attempt reset), 3 by, 4 now, 5 ttl (s) of chain keys
-- Returns 1 when retried, 0 when there was no such dead letter.
if redis.call('XDEL', KEYS[1], ARGV[1]) == 0 then
  return 0
end
local entry = redis.call('XADD', KEYS[2], '*', 'task', ARGV[2])
if redis.call('EXISTS', KEYS[3]) == 1 then
  redis.call('HINCRBY', KEYS[3], 'pending', 1)
  -- still stuck while another dead letter of the chain waits for an operator
  if flowpay_one_dead_fewer(KEYS[3], KEYS[5]) then
    redis.call('HSET', KEYS[3], 'status', 'running')
    redis.call('HDEL', KEYS[3], 'settled_at', 'stuck_at')
  end
  flowpay_keep(KEYS[3], tonumber(ARGV[5]))
end
redis.call('XADD', KEYS[4], '*', 'action', 'retry', 'dead_id', ARGV[1], 'entry_id', entry, 'task', ARGV[2],
  'by', ARGV[3], 'at', ARGV[4])
return 1
