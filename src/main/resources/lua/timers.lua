-- Moves timers that are due (flow.after) from the worker's timers zset into its task stream.
-- KEYS: 1 timers zset, 2 task stream, 3 lease.  ARGV: 1 most to move, 2 lease token
-- Returns how many were moved.
flowpay_fence(KEYS[3], ARGV[2])
local now = flowpay_now_ms()
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
for i = 1, #due do
  redis.call('XADD', KEYS[2], '*', 'task', due[i])
  redis.call('ZREM', KEYS[1], due[i])
end
return #due
