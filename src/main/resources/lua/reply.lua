-- Turns Stripe's answers to calls into tasks on the caller's own stream, and removes each call
-- from the outbox, atomically. A call answered before (a re-send after a restart) adds nothing,
-- so each call yields exactly one response or error task. An answer that ends a reconciliation
-- also removes the call from the reconciling calls, and one whose outcome stayed unknown through
-- the whole window is listed for an operator. Then, in the same round trip, hands the caller up
-- to ARGV[3] new tasks of its stream, as XREADGROUP would (those just added first in line when
-- nothing older waits): the worker runs an answer without waiting for its blocking read.
-- KEYS: 1 outbox, 2 task stream, 3 reconciling calls, 4 reconcile schedule, 5 unresolved calls, 6 lease.
-- ARGV: 1 group, 2 consumer, 3 how many new tasks to hand out (0: none), 4 lease token, then per answer: call id,
--       task json, and '' (a plain answer), 'r' (ends a reconciliation) or the unresolved record json.
-- Returns {one entry id (enqueued) or false (answered before) per answer, in order;
--          the XREADGROUP answer, or false}
flowpay_fence(KEYS[6], ARGV[4])
local ids = {}
for i = 5, #ARGV, 3 do
  local call, ending = ARGV[i], ARGV[i + 2]
  if redis.call('HDEL', KEYS[1], call) == 1 then
    ids[#ids + 1] = redis.call('XADD', KEYS[2], '*', 'task', ARGV[i + 1])
  else
    ids[#ids + 1] = false
  end
  if ending ~= '' then
    redis.call('HDEL', KEYS[3], call)
    redis.call('ZREM', KEYS[4], call)
    if ending ~= 'r' and ids[#ids] then
      redis.call('HSET', KEYS[5], call, ending)
    end
  end
end
local read = false
if tonumber(ARGV[3]) > 0 then
  read = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', ARGV[3], 'STREAMS', KEYS[2], '>')
end
return {ids, read}
