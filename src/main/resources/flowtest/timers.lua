-- flowpay test's clock: looks at, or moves forward, the flow.after timers of some chains.
-- KEYS: the timers zset of every worker, then the hash of every chain.
-- ARGV: 1 mode, 2 ms, 3 number of timers zsets, 4.. chain ids.
-- mode 'next':  ms until the chains' earliest timer is due (0 when due), -1 when they have none.
-- mode 'shift': makes the chains' timers due ms earlier (ms of time passed); returns how many are due now.
-- mode 'quiet': {pending tasks and calls of the chains, their timers}: equal when only timers are left.
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local zsets = tonumber(ARGV[3])
local chains = {}
for i = 4, #ARGV do
  chains[ARGV[i]] = true
end
local mine, due, earliest = 0, 0, nil
for z = 1, zsets do
  local members = redis.call('ZRANGE', KEYS[z], 0, -1, 'WITHSCORES')
  for i = 1, #members, 2 do
    local ok, task = pcall(cjson.decode, members[i])
    if ok and type(task) == 'table' and chains[task.chain_id] then
      local score = tonumber(members[i + 1])
      mine = mine + 1
      if ARGV[1] == 'shift' then
        score = score - tonumber(ARGV[2])
        redis.call('ZADD', KEYS[z], score, members[i])
      end
      if score <= now then
        due = due + 1
      end
      if earliest == nil or score < earliest then
        earliest = score
      end
    end
  end
end
if ARGV[1] == 'shift' then
  return due
elseif ARGV[1] == 'next' then
  if earliest == nil then
    return -1
  end
  return math.max(0, earliest - now)
end
local pending = 0
for k = zsets + 1, #KEYS do
  pending = pending + tonumber(redis.call('HGET', KEYS[k], 'pending') or '0')
end
return {pending, mine}
