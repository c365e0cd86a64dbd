-- A worker id's lease: who serves the worker id now (one process at most). Every write the worker
-- does checks the token in the same script (flowpay_fence in lib.lua).
-- KEYS: 1 lease key.  ARGV: 1 'take' | 'renew' | 'release', 2 token, 3 ttl (ms)
-- take: sets the lease when nobody holds it (or this token does), for ttl ms.
-- renew: extends the lease by ttl ms only while this token holds it.
-- release: deletes the lease only while this token holds it.
-- Returns 1 when done, 0 when another token holds the lease (or, for renew, nobody does).
local holder = redis.call('GET', KEYS[1])
if ARGV[1] == 'take' and not holder then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', tonumber(ARGV[3]))
  return 1
end
if holder ~= ARGV[2] then
  return 0
end
if ARGV[1] == 'release' then
  redis.call('DEL', KEYS[1])
else
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
end
return 1
