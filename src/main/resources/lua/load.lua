-- What a run needs before it starts, in one round trip: the context's state (with _version) and
-- whether the task's flow is disabled (after too many failed runs in a row).
-- KEYS: 1 context hash, 2 flow hash
-- Returns {flat context hash, disabled_at or false, last error or false}
local flow = redis.call('HMGET', KEYS[2], 'disabled_at', 'last_error')
return {redis.call('HGETALL', KEYS[1]), flow[1], flow[2]}
