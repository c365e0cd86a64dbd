-- Turns Stripe's answers to calls into tasks on the caller's own stream, and removes each call
-- from the outbox, atomically. A call answered before (a re-send after a restart) adds nothing,
-- so each call yields exactly one response or error task. Then, in the same round trip, hands the
-- caller up to ARGV[3] new tasks of its stream, as XREADGROUP would (those just added first in line
-- when nothing older waits): the worker runs an answer without waiting for its blocking read.
-- KEYS: 1 outbox, 2 task stream.
-- ARGV: 1 group, 2 consumer, 3 how many new tasks to hand out (0: none), then call id and task json
--       per answer.
-- Returns {one entry id (enqueued) or false (answered before) per answer, in order;
--          the XREADGROUP answer, or false}
local ids = {}
for i = 4, #ARGV, 2 do
  if redis.call('HDEL', KEYS[1], ARGV[i]) == 1 then
    ids[#ids + 1] = redis.call('XADD', KEYS[2], '*', 'task', ARGV[i + 1])
  else
    ids[#ids + 1] = false
  end
end
local read = false
if tonumber(ARGV[3]) > 0 then
  read = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', ARGV[3], 'STREAMS', KEYS[2], '>')
end
return {ids, read}
