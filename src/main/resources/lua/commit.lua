-- Commits runs of tasks, each all or nothing:
-- context writes (only if the context version is still the snapshot's), outbox entries for its
-- calls, dispatched tasks, timers, the run record, chain counters, the flow's failure streak (and
-- its disabling), and the XACK of the task.
-- KEYS: 1 context hash, 2 own task stream, 3 outbox, 4 context runs, 5 chain hash, 6 chain runs,
--       7 flow hash, 8 the worker's lease, 9.. one task stream per dispatched task, then one timers zset per timer
-- ARGV: 1 group, 2 entry id, 3 expected version ('' = do not check: a failed run writes no state),
--       4 counts 'outboxes dispatches timers sets dels delta failed(0|1|2: the flow cannot run) now(ms)',
--       5 ttl (s) of chain keys past the chain's last run or timer, 6 max run records per context,
--       7 runs in a row that failed because the flow cannot run (no file, syntax error) that disable
--       it (0 = never), 8 run record json, 9 error text, 10 lease token,
--       11.. call id and call json per outbox entry, task json per dispatch, delay ms and task json
--       per timer, key and value json per context write, key per context delete.
--       Texts are passed as they are: Lua moves them and decodes no JSON.
-- Returns {'ok', version} | {'conflict', current version} | {'duplicate', ''}
--         | {'disabled', last error}: the flow was disabled, nothing written (the caller parks the task)
--
-- Batch: ARGV[1] = 'batch', ARGV[2] = n, then for each run its number of keys and of arguments,
-- then every run's arguments; KEYS holds every run's keys, run after run. Each run is committed on
-- its own (one run's conflict does not stop the next); returns one answer as above per run, in order.
-- One command over count values of A from index first, with an optional leading field and value,
-- in as few calls as Lua's stack allows (unpack takes a few thousand values at most).
local function many(command, key, A, first, count, field, value)
  local i = 0
  repeat
    local args = {command, key}
    if field then
      args[3], args[4] = field, value
    end
    for j = i, math.min(count, i + 1000) - 1 do
      args[#args + 1] = A[first + j]
    end
    if #args > 2 then
      redis.call(unpack(args))
    end
    field, value, i = nil, nil, i + 1000
  until i >= count
end

local function commit(K, A)
  flowpay_fence(K[8], A[10])
  local flow = redis.call('HMGET', K[7], 'disabled_at', 'last_error', 'failures')
  if flow[1] then
    return {'disabled', flow[2] or ''}
  end
  local expected = A[3]
  if expected ~= '' then
    local current = redis.call('HGET', K[1], '_version') or '0'
    if current ~= expected then
      return {'conflict', current}
    end
  end
  -- A task already acknowledged was committed by an earlier delivery: commit nothing twice.
  -- An acknowledged entry is deleted too: the stream holds only work not done yet.
  if redis.call('XACK', K[2], A[1], A[2]) == 0 then
    return {'duplicate', ''}
  end
  redis.call('XDEL', K[2], A[2])
  local counts = {}
  for n in string.gmatch(A[4], '%-?%d+') do
    counts[#counts + 1] = n
  end
  local outboxes, dispatches, timers, sets, dels = tonumber(counts[1]), tonumber(counts[2]), tonumber(counts[3]),
    tonumber(counts[4]), tonumber(counts[5])
  -- failed: '0' ok, '1' failed, '2' failed because the flow cannot run at all (counts toward disabling)
  local delta, failed, broken, now = tonumber(counts[6]), counts[7] ~= '0', counts[7] == '2', counts[8]
  local run, arg = A[8], 11
  many('HSET', K[3], A, arg, 2 * outboxes)
  arg = arg + 2 * outboxes
  for i = 0, dispatches - 1 do
    redis.call('XADD', K[9 + i], '*', 'task', A[arg + i])
  end
  arg = arg + dispatches
  local longest = 0
  if timers > 0 then
    local at = flowpay_now_ms()
    for i = 0, timers - 1 do
      local delay = tonumber(A[arg + 2 * i])
      longest = math.max(longest, delay)
      redis.call('ZADD', K[9 + dispatches + i], at + delay, A[arg + 2 * i + 1])
    end
  end
  arg = arg + 2 * timers
  -- A run writes state only after the version check above (a failed run writes none), so the new
  -- version is the expected one plus one, set with the writes.
  local version = expected
  if sets > 0 or dels > 0 then
    version = tostring(tonumber(expected) + 1)
    many('HSET', K[1], A, arg, 2 * sets, '_version', version)
    many('HDEL', K[1], A, arg + 2 * sets, dels)
  end
  -- 'failures': failed runs in a row (what 'flow list' shows); 'broken': of those, the runs in a row
  -- that failed because the flow cannot run at all, which alone disable it.
  if failed then
    redis.call('HINCRBY', K[7], 'failures', 1)
    redis.call('HSET', K[7], 'last_error', A[9], 'last_failed_at', now)
    if broken then
      local streak = redis.call('HINCRBY', K[7], 'broken', 1)
      local limit = tonumber(A[7])
      if limit > 0 and streak >= limit then
        redis.call('HSET', K[7], 'disabled_at', now)
      end
    else
      redis.call('HDEL', K[7], 'broken')
    end
  elseif flow[3] then
    redis.call('HDEL', K[7], 'failures', 'broken')
  end
  -- The chain's run records; their number is the chain's count of runs (XLEN).
  redis.call('XADD', K[4], 'MAXLEN', '~', A[6], '*', 'run', run)
  redis.call('XADD', K[6], '*', 'run', run)
  if failed then
    redis.call('HINCRBY', K[5], 'failed', 1)
  end
  -- This run's task was pending: when it started as many tasks and calls as it ends (delta 0), the
  -- chain goes on and its count stays.
  -- A chain with a parked task needs an operator: it ends 'stuck', never 'settled'.
  if delta ~= 0 and redis.call('HINCRBY', K[5], 'pending', delta) <= 0 then
    if tonumber(redis.call('HGET', K[5], 'dead') or '0') > 0 then
      redis.call('HSET', K[5], 'status', 'stuck')
    else
      redis.call('HSET', K[5], 'status', 'settled', 'settled_at', now)
    end
  end
  -- The chain is kept ttl seconds past its last run, and past its last timer: a timer set for 30
  -- days must still find its chain.
  flowpay_keep_chain(K[5], K[6], tonumber(A[5]) + math.ceil(longest / 1000))
  return {'ok', version}
end
if ARGV[1] ~= 'batch' then
  return commit(KEYS, ARGV)
end
local n = tonumber(ARGV[2])
local answers = {}
local key, arg = 0, 2 + 2 * n
for i = 1, n do
  local nkeys, nargs = tonumber(ARGV[1 + 2 * i]), tonumber(ARGV[2 + 2 * i])
  local K, A = {}, {}
  for j = 1, nkeys do
    K[j] = KEYS[key + j]
  end
  for j = 1, nargs do
    A[j] = ARGV[arg + j]
  end
  key, arg = key + nkeys, arg + nargs
  answers[i] = commit(K, A)
end
return answers
