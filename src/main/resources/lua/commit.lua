-- Commits runs of tasks, each all or nothing:
-- context writes (only if the context version is still the snapshot's), outbox entries for its
-- calls, dispatched tasks, timers, the run record, chain counters, the flow's failure streak (and
-- its disabling), and the XACK of the task. In Redis Cluster every key is the worker's own (one slot):
-- what crosses to another worker (a dispatch or timer there, the bookkeeping of a chain whose home
-- is another worker) is written to the worker's forward stream, which ForwardRelay relays. On one
-- server (standalone, Sentinel) the commit writes it at the other worker itself (KEYS 11..).
-- KEYS: 1 context hash, 2 own task stream, 3 outbox, 4 context runs, 5 chain hash, 6 chain runs
--       (5 and 6: the forward stream when the chain's home is another worker), 7 the worker's flow hash,
--       8 the worker's lease, 9 forward stream, 10 own timers zset,
--       11.. on one server only, when the run dispatches or sets timers for other workers: the set of worker
--       ids, then per such dispatch its worker's task stream, per such timer its worker's task stream and
--       timers zset (given, nothing goes to the forward stream)
-- ARGV: 1 group, 2 entry id, 3 expected version ('' = do not check: a failed run writes no state),
--       4 counts 'outboxes dispatches timers sets dels delta failed(0|1|2: the flow cannot run) now(ms)
--       forwarded-dispatches forwarded-timers' (dispatches and timers: to this worker),
--       5 ttl (s) of chain keys past the chain's last run or timer, 6 max run records per context,
--       7 runs in a row that failed because the flow cannot run (no file, syntax error) that disable
--       it (0 = never), 8 run record json, 9 error text, 10 lease token,
--       11 the chain id when its home is another worker ('' = the chain's keys are KEYS 5 and 6),
--       12.. call id and call json per outbox entry, task json per dispatch, delay ms and task json
--       per timer, key and value json per context write, key per context delete, then per forwarded
--       dispatch target worker, task id and task json, per forwarded timer target worker, task id,
--       delay ms and task json.
--       Texts are passed as they are: Lua moves them and decodes no JSON.
--       A run of an answer held in memory (no stream entry) has '' as ARGV 2 and its call id as the last ARGV.
-- Returns {'ok', version, forward entries written: {the stream's last id before them, {id, fields}...} or {}}
--         | {'conflict', current version} | {'duplicate', ''}
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

-- Takes the run's task off the worker's hands, once; false when that was done before (commit nothing twice).
-- A stream entry is acknowledged and deleted (the stream holds only work not done yet). An answer held in
-- memory (ARGV 2 is '': it has no stream entry) takes its call out of the outbox instead, as reply.lua
-- would: a call answered before (stored by reply.lua, or committed) yields no second response run.
local function acknowledge(K, A)
  if A[2] == '' then
    return redis.call('HDEL', K[3], A[#A]) == 1
  end
  if redis.call('XACK', K[2], A[1], A[2]) == 0 then
    return false
  end
  redis.call('XDEL', K[2], A[2])
  return true
end

-- Appends one entry to the forward stream and to written, the run's entries as XRANGE gives them ({id, fields}),
-- after the id of the stream's last entry before the first of them ('' when it held none): with that the relay
-- (ForwardTail) applies them without reading the stream when it knows every earlier entry applied.
local function forward(stream, written, ...)
  if #written == 0 then
    local last = redis.call('XREVRANGE', stream, '+', '-', 'COUNT', 1)[1]
    written[1] = last and last[1] or ''
  end
  local fields = {...}
  for i = 1, #fields do
    fields[i] = tostring(fields[i])
  end
  written[#written + 1] = {redis.call('XADD', stream, '*', unpack(fields)), fields}
end

-- A worker's task stream as its worker makes it (TaskStream.ensureGroup) before another worker's commit writes a
-- task for it: the consumer group from the stream's start, and the worker id in the set operators list.
local function ready(stream, ids, worker, group)
  if redis.call('EXISTS', stream) == 0 then
    redis.call('XGROUP', 'CREATE', stream, group, '0', 'MKSTREAM')
    redis.call('SADD', ids, worker)
  end
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
  if not acknowledge(K, A) then
    return {'duplicate', ''}
  end
  local counts = {}
  for n in string.gmatch(A[4], '%-?%d+') do
    counts[#counts + 1] = n
  end
  local outboxes, dispatches, timers, sets, dels = tonumber(counts[1]), tonumber(counts[2]), tonumber(counts[3]),
    tonumber(counts[4]), tonumber(counts[5])
  -- failed: '0' ok, '1' failed, '2' failed because the flow cannot run at all (counts toward disabling)
  local delta, failed, broken, now = tonumber(counts[6]), counts[7] ~= '0', counts[7] == '2', counts[8]
  local fdispatches, ftimers = tonumber(counts[9] or '0'), tonumber(counts[10] or '0')
  local run, arg = A[8], 12
  many('HSET', K[3], A, arg, 2 * outboxes)
  arg = arg + 2 * outboxes
  for i = 0, dispatches - 1 do
    redis.call('XADD', K[2], '*', 'task', A[arg + i])
  end
  arg = arg + dispatches
  local longest = 0
  local at = (timers > 0 or ftimers > 0) and flowpay_now_ms() or 0
  for i = 0, timers - 1 do
    local delay = tonumber(A[arg + 2 * i])
    longest = math.max(longest, delay)
    redis.call('ZADD', K[10], at + delay, A[arg + 2 * i + 1])
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
  arg = arg + 2 * sets + dels
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
  redis.call('XADD', K[4], 'MAXLEN', '~', A[6], '*', 'run', run)
  for i = 0, ftimers - 1 do
    longest = math.max(longest, tonumber(A[arg + 3 * fdispatches + 4 * i + 2]))
  end
  local ttl = tonumber(A[5]) + math.ceil(longest / 1000)
  if A[11] == '' then
    flowpay_chain_ran(K[5], K[6], run, delta, failed, now, ttl)
  end
  -- On one server: each task for another worker written there now, in the same step as the start that made it
  -- pending (counted above, at the chain's home).
  if #K > 10 and A[11] == '' then
    local k = 12
    for i = 0, fdispatches - 1 do
      ready(K[k], K[11], A[arg + 3 * i], A[1])
      redis.call('XADD', K[k], '*', 'task', A[arg + 3 * i + 2])
      k = k + 1
    end
    arg = arg + 3 * fdispatches
    for i = 0, ftimers - 1 do
      ready(K[k], K[11], A[arg + 4 * i], A[1])
      redis.call('ZADD', K[k + 1], at + tonumber(A[arg + 4 * i + 2]), A[arg + 4 * i + 3])
      k = k + 2
    end
    return {'ok', version, {}}
  end
  -- The forward stream, relayed in its order by ForwardRelay: the chain's part first, then each task for
  -- another worker, so that a chain never counts a task's end before the start that made it pending.
  local written = {}
  if A[11] ~= '' then
    forward(K[9], written, 'chain', A[11], 'delta', delta, 'failed', failed and '1' or '0', 'dead', '0', 'run', run,
      'ttl', ttl, 'at', now)
  end
  for i = 0, fdispatches - 1 do
    forward(K[9], written, 'to', A[arg + 3 * i], 'id', A[arg + 3 * i + 1], 'task', A[arg + 3 * i + 2])
  end
  arg = arg + 3 * fdispatches
  for i = 0, ftimers - 1 do
    forward(K[9], written, 'to', A[arg + 4 * i], 'id', A[arg + 4 * i + 1], 'due', at + tonumber(A[arg + 4 * i + 2]),
      'task', A[arg + 4 * i + 3])
  end
  return {'ok', version, written}
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
