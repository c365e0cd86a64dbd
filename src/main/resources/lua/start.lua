-- Starts a chain: its counters and its first task, atomically.
-- KEYS: 1 chain hash, 2 task stream
-- ARGV: 1 task json, 2 flow, 3 context id, 4 worker id, 5 now (ms), 6 ttl (s)
redis.call('HSET', KEYS[1], 'status', 'running', 'pending', 1, 'failed', 0,
  'flow', ARGV[2], 'context_id', ARGV[3], 'worker_id', ARGV[4], 'started_at', ARGV[5])
redis.call('EXPIRE', KEYS[1], ARGV[6])
return redis.call('XADD', KEYS[2], '*', 'task', ARGV[1])
