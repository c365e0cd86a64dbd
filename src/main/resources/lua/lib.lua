-- Shared by every Flowpay script: LuaScript puts this before each script's own source when it loads it.

-- Redis's own clock in ms (timers are scored by it, so that every process agrees).
local function flowpay_now_ms()
  local clock = redis.call('TIME')
  return tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
end

-- A field of a stream entry ({name, value, name, value, ...}), or '' when it has none.
local function flowpay_field(fields, name)
  for i = 1, #fields, 2 do
    if fields[i] == name then
      return fields[i + 1]
    end
  end
  return ''
end

-- A new chain's counters and its first task. A: task json, flow, context id, worker id, now (ms), ttl (s).
local function flowpay_start_chain(chain, stream, A)
  redis.call('HSET', chain, 'status', 'running', 'pending', 1, 'failed', 0,
    'flow', A[2], 'context_id', A[3], 'worker_id', A[4], 'started_at', A[5])
  redis.call('EXPIRE', chain, A[6])
  return redis.call('XADD', stream, '*', 'task', A[1])
end

-- Keeps a chain's hash and run records ttl seconds more. Only ever extended (another run must not cut
-- a timer's time short), and only when that adds more than a minute: a read instead of two writes.
local function flowpay_keep_chain(chain, runs, ttl)
  if redis.call('TTL', runs) < ttl - 60 then
    redis.call('EXPIRE', chain, ttl)
    redis.call('EXPIRE', runs, ttl)
  end
end


-- Keeps one key ttl seconds more, under the same rule as flowpay_keep_chain.
local function flowpay_keep(key, ttl)
  if redis.call('TTL', key) < ttl - 60 then
    redis.call('EXPIRE', key, ttl)
  end
end

-- One dead letter of a chain fewer (retried or dropped). Returns true when none is left: the chain
-- leaves the stuck chains' index (the caller says what it is now).
local function flowpay_one_dead_fewer(chain, stuck)
  if redis.call('HINCRBY', chain, 'dead', -1) <= 0 then
    redis.call('ZREM', stuck, chain)
    return true
  end
  return false
end

-- Fencing: a worker's writes happen only while it holds its worker id's lease (see lease.lua).
-- lease: the lease key; token: the writer's token, or '' for a writer that holds no leases (a test,
-- an older process), which may write only while nobody holds the lease. Raises FLOWPAY_FENCED before
-- the script writes anything otherwise, so a paused or partitioned old holder commits nothing.
local function flowpay_fence(lease, token)
  local holder = redis.call('GET', lease)
  if holder == token or (not holder and token == '') then
    return
  end
  error('FLOWPAY_FENCED ' .. lease .. ' is not held by this process (lost the lease)', 0)
end

-- A run of a chain, counted at the chain's home (commit.lua for a run there, forward_chain.lua for a run
-- on another worker): its run record, its failure, and the change of its pending count. This run's task
-- was pending: when it started as many tasks and calls as it ends (delta 0), the chain goes on and its
-- count stays. A chain with a parked task needs an operator: it ends 'stuck', never 'settled'. The chain
-- is kept ttl seconds past its last run, and past its last timer: a timer set for 30 days must still
-- find its chain.
local function flowpay_chain_ran(chain, runs, run, delta, failed, now, ttl)
  redis.call('XADD', runs, '*', 'run', run)
  if failed then
    redis.call('HINCRBY', chain, 'failed', 1)
  end
  if delta ~= 0 and redis.call('HINCRBY', chain, 'pending', delta) <= 0 then
    if tonumber(redis.call('HGET', chain, 'dead') or '0') > 0 then
      redis.call('HSET', chain, 'status', 'stuck')
    else
      redis.call('HSET', chain, 'status', 'settled', 'settled_at', now)
    end
  end
  flowpay_keep_chain(chain, runs, ttl)
end

-- A parked task of a chain, counted at the chain's home (dead.lua there, forward_chain.lua from another
-- worker): its run record, one pending fewer, one dead more, and the chain is 'stuck' (in the home's index
-- of stuck chains) until an operator retries or drops it.
local function flowpay_chain_parked(chain, runs, stuck, run, now, ttl)
  if redis.call('EXISTS', chain) == 0 then
    return
  end
  redis.call('XADD', runs, '*', 'run', run)
  redis.call('HINCRBY', chain, 'dead', 1)
  redis.call('HINCRBY', chain, 'pending', -1)
  redis.call('HSET', chain, 'status', 'stuck', 'stuck_at', now)
  redis.call('HDEL', chain, 'settled_at')
  redis.call('ZADD', stuck, now, chain)
  -- chains expire: the index forgets what is older than their retention
  redis.call('ZREMRANGEBYSCORE', stuck, '-inf', tonumber(now) - 1000 * ttl)
  flowpay_keep_chain(chain, runs, ttl)
end

-- Whether stream entry id a ('ms-seq') comes after b.
local function flowpay_id_after(a, b)
  local a_ms, a_seq = string.match(a, '^(%d+)-(%d+)$')
  local b_ms, b_seq = string.match(b, '^(%d+)-(%d+)$')
  a_ms, b_ms = tonumber(a_ms), tonumber(b_ms)
  return a_ms > b_ms or (a_ms == b_ms and tonumber(a_seq) > tonumber(b_seq))
end

-- At a relay's target: whether forward entry id of the source worker's forward stream is to be applied here
-- (true), marking it applied, or was applied before (false). A source's entries are relayed in their stream's
-- order, each applied before the next is tried, so the last id applied per source (hash 'relayed': source ->
-- id) answers for every earlier entry, for good. 'legacy' is the applied set of the release before (entry and
-- task marks kept an hour): an entry it marks counts as applied until those marks expire.
local function flowpay_relay_once(relayed, source, id, legacy, legacy_mark, now)
  local last = redis.call('HGET', relayed, source)
  if last and not flowpay_id_after(id, last) then
    return false
  end
  redis.call('HSET', relayed, source, id)
  redis.call('ZREMRANGEBYSCORE', legacy, '-inf', now)
  return not redis.call('ZSCORE', legacy, legacy_mark)
end

-- Operators' repairs of a chain, counted at its home: by the repair's own script when the chain's home is the
-- task's worker (dead_retry.lua, dead_drop.lua, retry_run.lua), else by forward_chain.lua from the worker's
-- forward stream (flowpay_forward_repair). A chain that expired meanwhile has nothing left to count.

-- A parked task retried: pending again, one dead fewer, and running once no dead letter of it is left.
local function flowpay_chain_retried(chain, stuck, ttl)
  if redis.call('EXISTS', chain) == 0 then
    return
  end
  redis.call('HINCRBY', chain, 'pending', 1)
  -- still stuck while another dead letter of the chain waits for an operator
  if flowpay_one_dead_fewer(chain, stuck) then
    redis.call('HSET', chain, 'status', 'running')
    redis.call('HDEL', chain, 'settled_at', 'stuck_at')
  end
  flowpay_keep(chain, ttl)
end

-- A parked task dropped (an operator gave it up): counted as dropped; with no dead letter left the chain is
-- no longer stuck: settled when nothing else is pending.
local function flowpay_chain_dropped(chain, stuck, now)
  if redis.call('EXISTS', chain) == 0 then
    return
  end
  redis.call('HINCRBY', chain, 'dropped', 1)
  if flowpay_one_dead_fewer(chain, stuck) then
    if tonumber(redis.call('HGET', chain, 'pending') or '0') <= 0 then
      redis.call('HSET', chain, 'status', 'settled', 'settled_at', now)
    else
      redis.call('HSET', chain, 'status', 'running')
    end
  end
end

-- A failed run's task run again: pending again; a settled chain runs again (a stuck one stays stuck).
local function flowpay_chain_rerun(chain, ttl)
  if redis.call('EXISTS', chain) == 0 then
    return
  end
  redis.call('HINCRBY', chain, 'pending', 1)
  if redis.call('HGET', chain, 'status') == 'settled' then
    redis.call('HSET', chain, 'status', 'running')
    redis.call('HDEL', chain, 'settled_at')
  end
  flowpay_keep(chain, ttl)
end

-- A repair of a chain whose home is another worker, written to the worker's forward stream (relayed in order by
-- ForwardRelay): the chain's part for its home (op: 'retry', 'drop' or 'rerun'), then, when a task runs again,
-- the task itself for its own worker, so that it is delivered only after its chain counts it pending (its end
-- can never come first). The task's delivery id is its task id and the chain part's entry id (the release before
-- remembered delivered task ids for an hour, and the task id alone had been delivered). Returns the chain part's
-- entry id.
local function flowpay_forward_repair(forward, chain, op, ttl, now, worker, task_id, task)
  local id = redis.call('XADD', forward, '*', 'chain', chain, 'op', op, 'ttl', ttl, 'at', now)
  if task then
    redis.call('XADD', forward, '*', 'to', worker, 'id', task_id .. '@' .. id, 'task', task)
  end
  return id
end
