-- Turns Stripe's answer to a call into a task on the caller's own stream, and removes the call
-- from the outbox, atomically. A call answered before (a re-send after a restart) adds nothing,
-- so each call yields exactly one response or error task.
-- KEYS: 1 outbox, 2 task stream.  ARGV: 1 call id, 2 task json
if redis.call('HDEL', KEYS[1], ARGV[1]) == 1 then
  redis.call('XADD', KEYS[2], '*', 'task', ARGV[2])
  return 1
end
return 0
