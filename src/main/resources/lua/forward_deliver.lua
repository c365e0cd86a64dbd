-- Delivers tasks another worker forwarded (a dispatch or timer of its runs) to this worker: each forward
-- entry at most once, for good (this worker keeps the last entry id it applied per source worker; entries are
-- relayed in order), so a relay repeated after a crash enqueues nothing twice however late it comes.
-- KEYS: 1 task stream, 2 timers zset, 3 relayed (source worker -> last entry id applied), 4 applied set of
--       the release before
-- ARGV: 1 source worker, then per task: forward entry id, task id, due time in ms ('' = now), task json
-- Returns how many were enqueued (the others had been before).
local now = flowpay_now_ms()
local delivered = 0
for i = 2, #ARGV, 4 do
  if flowpay_relay_once(KEYS[3], ARGV[1], ARGV[i], KEYS[4], 'task:' .. ARGV[i + 1], now) then
    if ARGV[i + 2] == '' then
      redis.call('XADD', KEYS[1], '*', 'task', ARGV[i + 3])
    else
      redis.call('ZADD', KEYS[2], tonumber(ARGV[i + 2]), ARGV[i + 3])
    end
    delivered = delivered + 1
  end
end
return delivered
