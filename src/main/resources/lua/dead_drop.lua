-- An operator's 'flowpay dead drop': the dead letter is deleted for good; the audit keeps a copy
-- of what was dropped and says who did it.
-- KEYS: 1 dead stream, 2 audit stream.  ARGV: 1 dead entry id, 2 by, 3 now
-- Returns 1 when dropped, 0 when there was no such dead letter.
local entries = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])
if #entries == 0 then
  return 0
end
redis.call('XDEL', KEYS[1], ARGV[1])
local fields = entries[1][2]
local task = ''
for i = 1, #fields, 2 do
  if fields[i] == 'task' then
    task = fields[i + 1]
  end
end
redis.call('XADD', KEYS[2], '*', 'action', 'drop', 'dead_id', ARGV[1], 'task', task, 'by', ARGV[2], 'at', ARGV[3])
return 1
