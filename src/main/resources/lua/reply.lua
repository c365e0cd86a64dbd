-- Turns Stripe's answers to calls into tasks on the caller's own stream, and removes each call
-- from the outbox, atomically. A call answered before (a re-send after a restart) adds nothing,
-- so each call yields exactly one response or error task.
-- KEYS: 1 outbox, 2 task stream.  ARGV: call id, task json; then the next call's, and so on.
-- Returns one 1 (enqueued) or 0 (answered before) per call, in order.
local answers = {}
for i = 1, #ARGV, 2 do
  if redis.call('HDEL', KEYS[1], ARGV[i]) == 1 then
    redis.call('XADD', KEYS[2], '*', 'task', ARGV[i + 1])
    answers[#answers + 1] = 1
  else
    answers[#answers + 1] = 0
  end
end
return answers
