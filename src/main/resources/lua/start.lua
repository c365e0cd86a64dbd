-- Starts a chain: its counters and its first task, atomically.
-- KEYS: 1 chain hash, 2 task stream
-- ARGV: 1 task json, 2 flow, 3 context id, 4 worker id, 5 now (ms), 6 ttl (s)
return flowpay_start_chain(KEYS[1], KEYS[2], ARGV)
