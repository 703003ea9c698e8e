-- Compare-and-delete: KEYS[1] is deleted only while it holds ARGV[1] (a claim or a lock released
-- by its own holder, never by one whose hold has lapsed and passed to another).
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
