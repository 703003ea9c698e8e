-- Adds a credential whose request joined the run to those who may read it: not its owner, not
-- twice, at most ARGV[2] of them. KEYS[1] run record; ARGV[1] the credential.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('HGET', KEYS[1], 'owner') == ARGV[1] then return 0 end
local readers = redis.call('HGET', KEYS[1], 'readers') or ''
for name in string.gmatch(readers, '[^,]+') do
  if name == ARGV[1] then return 0 end
end
local _, n = string.gsub(readers, ',', ',')
if readers ~= '' and n + 1 >= tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], 'readers', readers == '' and ARGV[1] or (readers .. ',' .. ARGV[1]))
return 1
