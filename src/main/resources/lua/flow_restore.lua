-- Makes an earlier uploaded version of a flow its current one again, with an audit entry, and bumps
-- the generation every process polls.
-- KEYS: 1 current versions (hash flow -> version json), 2 the flow's versions (hash n -> version json),
--       3 the flow's audit stream, 4 generation counter
-- ARGV: 1 flow, 2 version, 3 by, 4 now (ms)
-- Returns {1, version json}, or {0, number of versions} when there is no such version.
local stored = redis.call('HGET', KEYS[2], ARGV[2])
if not stored then
  return {0, redis.call('HLEN', KEYS[2])}
end
redis.call('HSET', KEYS[1], ARGV[1], stored)
redis.call('XADD', KEYS[3], '*', 'action', 'restore', 'version', ARGV[2], 'digest', cjson.decode(stored).digest,
  'by', ARGV[3], 'at', ARGV[4])
redis.call('INCR', KEYS[4])
return {1, stored}
