-- Makes a new uploaded version of a flow its current one, with an audit entry; a text equal to the
-- current version's (same digest) makes no new version. Bumps the generation every process polls.
-- KEYS: 1 current versions (hash flow -> version json), 2 the flow's versions (hash n -> version json),
--       3 the flow's audit stream, 4 generation counter
-- ARGV: 1 flow, 2 text, 3 digest, 4 by, 5 now (ms)
-- Returns {1, version json} for a new version, {0, current version json} when unchanged.
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current and cjson.decode(current).digest == ARGV[3] then
  return {0, current}
end
local version = redis.call('HLEN', KEYS[2]) + 1
local stored = cjson.encode({flow = ARGV[1], version = version, text = ARGV[2], digest = ARGV[3], by = ARGV[4],
  at = tonumber(ARGV[5])})
redis.call('HSET', KEYS[2], version, stored)
redis.call('HSET', KEYS[1], ARGV[1], stored)
redis.call('XADD', KEYS[3], '*', 'action', 'upload', 'version', version, 'digest', ARGV[3], 'by', ARGV[4],
  'at', ARGV[5])
redis.call('INCR', KEYS[4])
return {1, stored}
