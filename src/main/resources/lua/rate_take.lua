-- Takes one token of a Stripe account's rate budget, or says how long to wait for it (GCRA: the key
-- holds the theoretical arrival time, in µs of Redis's clock, of the next token; every process shares it).
-- KEYS[1]: the bucket. ARGV: tokens per second, burst, longest wait (ms).
-- Returns {1, wait_ms}: the token is reserved, send in wait_ms; {0, wait_ms}: the wait would be longer than
-- allowed, nothing is reserved.
redis.replicate_commands()
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local interval = 1000000 / tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local max_wait = tonumber(ARGV[3]) * 1000
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then
  tat = now
end
local next_tat = tat + interval
local wait = next_tat - burst * interval - now
if wait < 0 then
  wait = 0
end
if wait > max_wait then
  return {0, math.ceil(wait / 1000)}
end
redis.call('SET', KEYS[1], string.format('%.0f', next_tat), 'PX', math.ceil((next_tat - now) / 1000) + 1000)
return {1, math.ceil(wait / 1000)}
