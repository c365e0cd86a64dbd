-- Notes when a process first saw a schedule (kept when one saw it before). Outside Redis Cluster (KEYS 3 and
-- 4 given) a schedule's record from before the Cluster layout, when the worker has none yet, moves first, so
-- its last tick (and so which ticks were started) carries over an upgrade.
-- KEYS: 1 schedule hash, 2 schedule ticks[, 3 the hash before the Cluster layout, 4 its ticks]
-- ARGV: 1 now (ms)
if KEYS[3] and redis.call('EXISTS', KEYS[1]) == 0 and redis.call('EXISTS', KEYS[3]) == 1 then
  redis.call('RENAME', KEYS[3], KEYS[1])
  if redis.call('EXISTS', KEYS[4]) == 1 then
    redis.call('RENAME', KEYS[4], KEYS[2])
  end
end
return redis.call('HSETNX', KEYS[1], 'since', ARGV[1])
