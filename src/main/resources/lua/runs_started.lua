-- Records, for an entry delivered more than once, that a run of it starts (and whether it runs
-- alone), or forgets those records once the entry is done with. Fenced like every write of the
-- worker: a process that lost the worker id's lease cannot count runs toward parking healthy work.
-- KEYS: 1 runs started hash, 2 lease.  ARGV: 1 lease token, 2 entry id, 3 'alone' | 'beside' | 'done'
flowpay_fence(KEYS[2], ARGV[1])
if ARGV[3] == 'done' then
  return redis.call('HDEL', KEYS[1], ARGV[2], ARGV[2] .. ':solo')
end
redis.call('HINCRBY', KEYS[1], ARGV[2], 1)
if ARGV[3] == 'alone' then
  redis.call('HINCRBY', KEYS[1], ARGV[2] .. ':solo', 1)
end
return 1
