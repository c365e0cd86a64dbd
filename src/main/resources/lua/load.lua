-- What a run needs before it starts, in one round trip: the context's state (with _version) and
-- whether the task's flow is disabled (after too many failed runs in a row).
-- A context whose state and run records are still under the keys of the layout before Redis Cluster
-- (KEYS 3 and 4, given outside Cluster mode) moves them to its worker's keys first, unless it has state there.
-- KEYS: 1 context hash, 2 flow hash[, 3 the context's hash before the Cluster layout, 4 its run records then,
--       5 its run records now]
-- Returns {flat context hash, disabled_at or false, last error or false}
if KEYS[3] and redis.call('EXISTS', KEYS[1]) == 0 and redis.call('EXISTS', KEYS[3]) == 1 then
  redis.call('RENAME', KEYS[3], KEYS[1])
  if redis.call('EXISTS', KEYS[5]) == 0 and redis.call('EXISTS', KEYS[4]) == 1 then
    redis.call('RENAME', KEYS[4], KEYS[5])
  end
end
local flow = redis.call('HMGET', KEYS[2], 'disabled_at', 'last_error')
return {redis.call('HGETALL', KEYS[1]), flow[1], flow[2]}
