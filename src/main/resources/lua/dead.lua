-- Parks a task that cannot run (unreadable entry) in the worker's dead-letter stream and
-- acknowledges it, atomically, so it is neither lost nor read again.
-- KEYS: 1 task stream, 2 dead stream.  ARGV: 1 group, 2 entry id, 3 raw entry, 4 reason, 5 now
redis.call('XADD', KEYS[2], '*', 'entry_id', ARGV[2], 'raw', ARGV[3], 'error', ARGV[4], 'dead_at', ARGV[5])
return redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
