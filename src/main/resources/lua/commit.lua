-- Commits one run of a task, all or nothing:
-- context writes (only if the context version is still the snapshot's), outbox entries for its
-- calls, dispatched tasks, timers, the run record, chain counters, the flow's failure streak (and
-- its disabling), and the XACK of the task.
-- KEYS: 1 context hash, 2 own task stream, 3 outbox, 4 context runs, 5 chain hash, 6 chain runs,
--       7 flow hash, 8.. one task stream per dispatched task, then one timers zset per timer
-- ARGV: 1 group, 2 entry id, 3 expected version ('' = do not check: a failed run writes no state),
--       4 plan json {set=[k,v,...], del=[k,...], outbox=[id,json,...], dispatch=[json,...],
--       timers=[delay ms,json,...], run=json, delta=n, failed=bool, error=text, now=ms},
--       5 ttl (s) of chain keys, 6 max run records per context,
--       7 failed runs in a row that disable the flow (0 = never)
-- Returns {'ok', version} | {'conflict', current version} | {'duplicate', ''}
--         | {'disabled', last error}: the flow was disabled, nothing written (the caller parks the task)
local disabled = redis.call('HMGET', KEYS[7], 'disabled_at', 'last_error')
if disabled[1] then
  return {'disabled', disabled[2] or ''}
end
local expected = ARGV[3]
if expected ~= '' then
  local current = redis.call('HGET', KEYS[1], '_version') or '0'
  if current ~= expected then
    return {'conflict', current}
  end
end
-- A task already acknowledged was committed by an earlier delivery: commit nothing twice.
-- An acknowledged entry is deleted too: the stream holds only work not done yet.
if redis.call('XACK', KEYS[2], ARGV[1], ARGV[2]) == 0 then
  return {'duplicate', ''}
end
redis.call('XDEL', KEYS[2], ARGV[2])
local plan = cjson.decode(ARGV[4])
local version = expected
local set, del = plan.set, plan.del
for i = 1, #set, 2 do
  redis.call('HSET', KEYS[1], set[i], set[i + 1])
end
for i = 1, #del do
  redis.call('HDEL', KEYS[1], del[i])
end
if #set > 0 or #del > 0 then
  version = tostring(redis.call('HINCRBY', KEYS[1], '_version', 1))
end
local outbox = plan.outbox
for i = 1, #outbox, 2 do
  redis.call('HSET', KEYS[3], outbox[i], outbox[i + 1])
end
local extra = 7
for i = 1, #plan.dispatch do
  redis.call('XADD', KEYS[extra + i], '*', 'task', plan.dispatch[i])
end
extra = extra + #plan.dispatch
if #plan.timers > 0 then
  local clock = redis.call('TIME')
  local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
  for i = 1, #plan.timers, 2 do
    redis.call('ZADD', KEYS[extra + (i + 1) / 2], now + tonumber(plan.timers[i]), plan.timers[i + 1])
  end
end
if plan.failed then
  local streak = redis.call('HINCRBY', KEYS[7], 'failures', 1)
  redis.call('HSET', KEYS[7], 'last_error', plan.error, 'last_failed_at', plan.now)
  local limit = tonumber(ARGV[7])
  if limit > 0 and streak >= limit and redis.call('HEXISTS', KEYS[7], 'disabled_at') == 0 then
    redis.call('HSET', KEYS[7], 'disabled_at', plan.now)
  end
elseif redis.call('HGET', KEYS[7], 'failures') then
  redis.call('HDEL', KEYS[7], 'failures')
end
redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[6], '*', 'run', plan.run)
redis.call('XADD', KEYS[6], '*', 'run', plan.run)
local pending = redis.call('HINCRBY', KEYS[5], 'pending', plan.delta)
redis.call('HINCRBY', KEYS[5], 'runs', 1)
if plan.failed then
  redis.call('HINCRBY', KEYS[5], 'failed', 1)
end
if pending <= 0 then
  redis.call('HSET', KEYS[5], 'status', 'settled', 'settled_at', plan.now)
end
redis.call('EXPIRE', KEYS[5], ARGV[5])
redis.call('EXPIRE', KEYS[6], ARGV[5])
return {'ok', version}
