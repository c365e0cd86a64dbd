-- Delivers tasks another worker forwarded (a dispatch or timer of its runs) to this worker: each task id at
-- most once (kept in the worker's applied set a while), so a relay repeated after a crash enqueues nothing
-- twice.
-- KEYS: 1 task stream, 2 timers zset, 3 applied set
-- ARGV: 1 how long applied ids are kept (ms), then per task: task id, due time in ms ('' = now), task json
-- Returns how many were enqueued (the others had been before).
local now = flowpay_now_ms()
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
local delivered = 0
for i = 2, #ARGV, 3 do
  local id = 'task:' .. ARGV[i]
  if not redis.call('ZSCORE', KEYS[3], id) then
    redis.call('ZADD', KEYS[3], now + tonumber(ARGV[1]), id)
    if ARGV[i + 1] == '' then
      redis.call('XADD', KEYS[1], '*', 'task', ARGV[i + 2])
    else
      redis.call('ZADD', KEYS[2], tonumber(ARGV[i + 1]), ARGV[i + 2])
    end
    delivered = delivered + 1
  end
end
return delivered
