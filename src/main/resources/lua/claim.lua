-- Takes back tasks a consumer of the worker's group was handed and never acknowledged (its process
-- died, or it gave up on Redis), idle at least ARGV[3] ms, for consumer ARGV[2]; says how many
-- times each has been delivered, counting this one. An entry deleted from the stream meanwhile
-- is acknowledged: there is nothing left to run.
-- Entries the claiming process holds itself (waiting in a lane, say) are skipped, not claimed: a
-- claim counts as a delivery.
-- With each entry come the runs of it that were started after an earlier claim and never committed
-- (all of them, and those that ran alone on their worker): a claim is not a run, runs are what count.
-- KEYS: 1 task stream, 2 runs started (hash: entry id -> count, entry id .. ':solo' -> count), 3 lease.
-- ARGV: 1 group, 2 consumer, 3 min idle (ms), 4 count, 5 first id ('-' or '(' .. id), 6 lease token,
--       7.. entry ids the claiming process holds
-- Returns {last id looked at, or '' when there are no more,
--          {{id, deliveries, task json, runs started, solo runs}, ...}}
flowpay_fence(KEYS[3], ARGV[6])
local pending = redis.call('XPENDING', KEYS[1], ARGV[1], 'IDLE', tonumber(ARGV[3]), ARGV[5], '+', tonumber(ARGV[4]))
local held = {}
for i = 7, #ARGV do
  held[ARGV[i]] = true
end
local claimed = {}
local last = ''
for i = 1, #pending do
  local id = pending[i][1]
  last = id
  if not held[id] then
    local entry = redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], tonumber(ARGV[3]), id)[1]
    if entry then
      local task = flowpay_field(entry[2], 'task')
      local runs = redis.call('HMGET', KEYS[2], id, id .. ':solo')
      claimed[#claimed + 1] = {id, pending[i][4] + 1, task, tonumber(runs[1] or '0'), tonumber(runs[2] or '0')}
    else
      redis.call('XACK', KEYS[1], ARGV[1], id)
    end
  end
end
if #pending < tonumber(ARGV[4]) then
  last = ''
end
return {last, claimed}
